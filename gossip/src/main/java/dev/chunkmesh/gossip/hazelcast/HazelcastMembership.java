package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Membership} as a Hazelcast map of heartbeats whose entries expire after the time-to-live, so a
 * dead node's record disappears by itself. Calls block: keep them off event loops.
 */
public final class HazelcastMembership implements Membership {

    static final String MAP = "mesh.health";

    private record Beat(NodeRecord node, long heartbeatMillis, long freeBytes, int activeTransfers, long uploadBytesPerSecond)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final IMap<String, Beat> map;
    private final Duration ttl;

    public HazelcastMembership(HazelcastInstance hazelcast, Duration ttl) {
        this.map = hazelcast.getMap(MAP);
        this.ttl = ttl;
    }

    @Override
    public void heartbeat(Health h) {
        NodeInfo n = h.node();
        map.set(n.id().name(), new Beat(NodeRecord.of(n), h.heartbeat().toEpochMilli(), h.freeBytes(), h.activeTransfers(),
                h.uploadBytesPerSecond()), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void leave(NodeId node) {
        map.delete(node.name());
    }

    @Override
    public List<Health> alive() {
        return map.entrySet().stream().map(e -> {
            Beat b = e.getValue();
            return new Health(b.node().toNodeInfo(e.getKey()), Instant.ofEpochMilli(b.heartbeatMillis()), b.freeBytes(), b.activeTransfers(), b.uploadBytesPerSecond());
        }).sorted(Comparator.comparing(h -> h.node().id())).toList();
    }
}
