package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.Seal;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * {@link Leases} in a Hazelcast map: the lease is the entry for its key, written with a time-to-live,
 * so it lapses if its holder dies. Acquire is one atomic entry processor on the key's owner.
 *
 * <p>An entry names its holder and when it expires, sealed with the cluster secret. The map is a
 * notice board, not an authority: an entry whose seal does not check (forged by a member without the
 * secret), that expired more than a lease time ago (replayed), or whose holder is not a live node of
 * the POP is ignored: it is taken over in place where the key's owner lets it, and the lease counts
 * as acquired either way. A forged entry can so cost a duplicate fetch, never a failed or stuck pull.
 */
public final class HazelcastLeases implements Leases {
    private static final Logger LOG = Logger.getLogger(HazelcastLeases.class.getName());

    /** Versioned: entries are sealed since v2, and a node of an older version neither reads nor writes them. */
    static final String MAP = "mesh.leases.v2";
    private final IMap<String, Object> map;
    private final Duration leaseTime;
    private final Seal seal;
    private final Predicate<NodeId> inPop;
    private final Clock clock;
    private final AtomicLong ignored = new AtomicLong();

    /**
     * Leases of {@code leaseTime}, sealed with {@code seal}; a holder counts only while {@code inPop}
     * says it is a live node of the POP.
     */
    public HazelcastLeases(HazelcastInstance hazelcast, Duration leaseTime, Seal seal, Predicate<NodeId> inPop, Clock clock) {
        this.map = hazelcast.getMap(MAP);
        this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.inPop = Objects.requireNonNull(inPop, "inPop");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public LeaseResult acquire(String key, NodeId self) {
        return acquireAll(List.of(key), self).get(key);
    }

    @Override
    public Map<String, LeaseResult> acquireAll(Collection<String> keys, NodeId self) {
        Map<String, String> mine = new LinkedHashMap<>();
        for (String k : keys) {
            mine.put(k, entry(k, self));
        }
        Map<String, ?> holders = RefusedEntries.deletedAndRetried(map, keys,
                () -> map.executeOnKeys(new HashSet<>(keys), new Claim(self.name(), mine, leaseTime.toMillis())));
        Map<String, LeaseResult> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, answer(k, self, holders.get(k) instanceof String v ? v : null, mine.get(k)));
        }
        return out;
    }

    @Override
    public void releaseAll(Collection<String> keys, NodeId self) {
        if (!keys.isEmpty()) {
            RefusedEntries.deletedAndRetried(map, keys, () -> map.executeOnKeys(new HashSet<>(keys), new Release(self.name())));
        }
    }

    @Override
    public void release(String key, NodeId self) {
        RefusedEntries.deletedAndRetried(map, List.of(key), () -> map.executeOnKey(key, new Release(self.name())));
    }

    /** How many lease entries this node ignored as forged, replayed or held by a node outside the POP. */
    public long ignored() {
        return ignored.get();
    }

    private LeaseResult answer(String key, NodeId self, String value, String mine) {
        if (value == null || value.equals(mine) || self.name().equals(holderOf(value))) {
            return new LeaseResult.Acquired(key, self);
        }
        Optional<NodeId> holder = trusted(key, value);
        if (holder.isPresent()) {
            return new LeaseResult.HeldBy(key, holder.get());
        }
        ignored.incrementAndGet();
        Object answered = RefusedEntries.deletedAndRetried(map, List.of(key), () -> map.executeOnKey(key, new TakeOver(value, mine,
                leaseTime.toMillis())));
        String now = answered instanceof String v ? v : null;
        Optional<NodeId> after = now == null || now.equals(mine) ? Optional.empty() : trusted(key, now);
        if (after.isPresent()) {
            return new LeaseResult.HeldBy(key, after.get());
        }
        LOG.warning("lease " + key + " had an entry no node of the POP wrote (" + (now != null && now.equals(value) ? "it stays: its owner"
                + " refused the take-over" : "taken over") + "); fetching without waiting for it");
        return new LeaseResult.Acquired(key, self);
    }

    /** The holder an entry names, if its seal checks, it is not long expired and its holder is a live node of the POP. */
    private Optional<NodeId> trusted(String key, String value) {
        String[] p = value.split("\\|", -1);
        if (p.length != 3) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(p[1]);
            NodeId holder = new NodeId(p[0]);
            boolean fresh = clock.millis() < expires + leaseTime.toMillis();
            return seal.check(p[2], "lease", key, p[0], p[1]) && fresh && inPop.test(holder) ? Optional.of(holder) : Optional.empty();
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private String entry(String key, NodeId self) {
        String expires = Long.toString(clock.millis() + leaseTime.toMillis());
        return self.name() + "|" + expires + "|" + seal.tag("lease", key, self.name(), expires);
    }

    static String holderOf(String value) {
        int bar = value.indexOf('|');
        return bar < 0 ? value : value.substring(0, bar);
    }

    /** The entry of a lease on its owner as a string, or null when it is another type (no node wrote it): such an entry counts as free. */
    private static String valueOf(Map.Entry<String, Object> entry) {
        return entry.getValue() instanceof String s ? s : null;
    }

    /** Takes the entry if free, or renews it if ours, with the lease time as its TTL in the same step; returns the entry. */
    private record Claim(String node, Map<String, String> entries, long ttlMillis) implements EntryProcessor<String, Object, String> {
        @Override
        public String process(Map.Entry<String, Object> entry) {
            String value = valueOf(entry);
            if (value == null || holderOf(value).equals(node)) {
                ((ExtendedMapEntry<String, Object>) entry).setValue(entries.get(entry.getKey()), ttlMillis, TimeUnit.MILLISECONDS);
                return entries.get(entry.getKey());
            }
            return value;
        }
    }

    /** Replaces the entry {@code ignored} by {@code mine} if it is still there; returns the entry. */
    private record TakeOver(String ignored, String mine, long ttlMillis) implements EntryProcessor<String, Object, String> {
        @Override
        public String process(Map.Entry<String, Object> entry) {
            String value = valueOf(entry);
            if (value == null || value.equals(ignored)) {
                ((ExtendedMapEntry<String, Object>) entry).setValue(mine, ttlMillis, TimeUnit.MILLISECONDS);
                return mine;
            }
            return value;
        }
    }

    private record Release(String node) implements EntryProcessor<String, Object, Void> {
        @Override
        public Void process(Map.Entry<String, Object> entry) {
            String value = valueOf(entry);
            if (value != null && node.equals(holderOf(value))) {
                entry.setValue(null);
            }
            return null;
        }
    }
}
