package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.NodeId;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link Leases} in a Hazelcast map: the lease is the entry for its key, written with a time-to-live,
 * so it lapses if its holder dies. Acquire is one atomic entry processor on the key's owner.
 */
public final class HazelcastLeases implements Leases {

    static final String MAP = "mesh.leases";
    private final IMap<String, String> map;
    private final Duration leaseTime;

    public HazelcastLeases(HazelcastInstance hazelcast, Duration leaseTime) {
        this.map = hazelcast.getMap(MAP);
        this.leaseTime = leaseTime;
    }

    @Override
    public LeaseResult acquire(String key, NodeId self) {
        String holder = map.executeOnKey(key, new Claim(self.name(), leaseTime.toMillis()));
        if (holder.equals(self.name())) {
            return new LeaseResult.Acquired(key, self);
        }
        return new LeaseResult.HeldBy(key, new NodeId(holder));
    }

    @Override
    public Map<String, LeaseResult> acquireAll(Collection<String> keys, NodeId self) {
        Map<String, String> holders = map.executeOnKeys(new HashSet<>(keys), new Claim(self.name(), leaseTime.toMillis()));
        Map<String, LeaseResult> out = new LinkedHashMap<>();
        for (String k : keys) {
            String holder = holders.get(k);
            out.put(k, self.name().equals(holder) ? new LeaseResult.Acquired(k, self) : new LeaseResult.HeldBy(k, new NodeId(holder)));
        }
        return out;
    }

    @Override
    public void releaseAll(Collection<String> keys, NodeId self) {
        if (!keys.isEmpty()) {
            map.executeOnKeys(new HashSet<>(keys), new Release(self.name()));
        }
    }

    @Override
    public void release(String key, NodeId self) {
        map.executeOnKey(key, new Release(self.name()));
    }

    /** Takes the entry if free, or renews it if ours, with the lease time as its TTL in the same step; returns the holder. */
    private record Claim(String node, long ttlMillis) implements EntryProcessor<String, String, String> {
        @Override
        public String process(Map.Entry<String, String> entry) {
            if (entry.getValue() == null || entry.getValue().equals(node)) {
                ((ExtendedMapEntry<String, String>) entry).setValue(node, ttlMillis, TimeUnit.MILLISECONDS);
            }
            return entry.getValue();
        }
    }

    private record Release(String node) implements EntryProcessor<String, String, Void> {
        @Override
        public Void process(Map.Entry<String, String> entry) {
            if (node.equals(entry.getValue())) {
                entry.setValue(null);
            }
            return null;
        }
    }
}
