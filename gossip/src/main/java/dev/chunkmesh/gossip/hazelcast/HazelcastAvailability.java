package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.store.Digest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Availability} in a Hazelcast map shared by a POP: one entry per blob (key: the digest text)
 * holding every node's claim with its chunk bitmap. Updates run as entry processors on the owning
 * member, so concurrent adverts for one blob never lose each other. Calls block: keep them off event
 * loops.
 *
 * <p>What another member wrote is parsed, not trusted: an entry that is not a holders value (another type, a
 * class the serialization filter refuses, a claim with a missing or malformed field) counts as no claim, and is
 * counted in {@link #unreadable()}; an advert replaces such an entry rather than failing on it ({@link RefusedEntries}).
 */
public final class HazelcastAvailability implements Availability {

    static final String MAP = "mesh.availability";
    private final IMap<String, Object> map;
    private final AtomicLong unreadable = new AtomicLong();

    public HazelcastAvailability(HazelcastInstance hazelcast) {
        this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(MAP);
    }

    @Override
    public void advertise(NodeInfo node, Digest blob, ChunkBitmap held) {
        Holders.Claim claim = new Holders.Claim(NodeRecord.of(node), held.length(), held.toBytes());
        String key = blob.toString();
        RefusedEntries.deletedAndRetried(map, List.of(key), () -> map.executeOnKey(key, new Put(node.id().name(), claim)));
    }

    @Override
    public void withdraw(NodeId node, Digest blob) {
        String key = blob.toString();
        RefusedEntries.deletedAndRetried(map, List.of(key), () -> map.executeOnKey(key, new Remove(node.name())));
    }

    @Override
    public void withdrawAll(NodeId node) {
        RefusedEntries.deletedAndRetried(map, map::keySet, () -> map.executeOnEntries(new Remove(node.name())));
    }

    @Override
    public Watch watch(Digest blob, Runnable changed) {
        UUID id = map.addEntryListener(new Changed(changed), blob.toString(), false);
        return () -> map.removeEntryListener(id);
    }

    /** Hears adds, updates and removals of one key, from Hazelcast's event threads. */
    private record Changed(Runnable changed) implements EntryAddedListener<String, Object>,
            EntryUpdatedListener<String, Object>, EntryRemovedListener<String, Object> {
        @Override
        public void entryAdded(EntryEvent<String, Object> e) {
            changed.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, Object> e) {
            changed.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, Object> e) {
            changed.run();
        }
    }

    @Override
    public Map<NodeInfo, ChunkBitmap> holders(Digest blob) {
        Object value;
        try {
            value = map.get(blob.toString());
        } catch (HazelcastSerializationException | SecurityException refused) {
            unreadable.incrementAndGet();
            return new HashMap<>();
        }
        Map<NodeInfo, ChunkBitmap> out = new HashMap<>();
        Map<String, Holders.Claim> claims = claims(value);
        if (value != null && claims.isEmpty()) {
            unreadable.incrementAndGet();
        }
        claims.forEach((name, c) -> {
            try {
                out.put(c.node().toNodeInfo(name), ChunkBitmap.fromBytes(c.length(), c.bits()));
            } catch (RuntimeException malformed) {
                unreadable.incrementAndGet();
            }
        });
        return out;
    }

    /** How many entries, or claims in them, this node could not read as holders and left out. */
    public long unreadable() {
        return unreadable.get();
    }

    /** The claims of a value as some member wrote it: those of the right types; none for anything else. */
    static Map<String, Holders.Claim> claims(Object value) {
        Map<String, Holders.Claim> out = new HashMap<>();
        if (value instanceof Holders h && h.byNode != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) h.byNode).entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof Holders.Claim c && c.node() != null && c.bits() != null) {
                    out.put(name, c);
                }
            }
        }
        return out;
    }

    /** Adds or replaces one node's claim; what the entry held that is not a claim is dropped. */
    private record Put(String node, Holders.Claim claim) implements EntryProcessor<String, Object, Void> {
        @Override
        public Void process(Map.Entry<String, Object> entry) {
            Map<String, Holders.Claim> next = claims(entry.getValue());
            next.put(node, claim);
            entry.setValue(new Holders(next));
            return null;
        }
    }

    /** Removes one node's claim, and the entry with its last claim (or when it holds no claim at all). */
    private record Remove(String node) implements EntryProcessor<String, Object, Void> {
        @Override
        public Void process(Map.Entry<String, Object> entry) {
            Object value = entry.getValue();
            Map<String, Holders.Claim> next = claims(value);
            if (value == null || (!next.isEmpty() && !next.containsKey(node))) {
                return null;
            }
            next.remove(node);
            entry.setValue(next.isEmpty() ? null : new Holders(next));
            return null;
        }
    }
}
