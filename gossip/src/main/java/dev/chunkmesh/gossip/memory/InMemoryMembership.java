package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Membership} in memory, aging heartbeats by the given clock (the simulator's, in simulation). */
public final class InMemoryMembership implements Membership {
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<NodeId, Health> latest = new ConcurrentHashMap<>();

    public InMemoryMembership(Clock clock, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public void heartbeat(Health health) {
        latest.put(health.node().id(), health);
    }

    @Override
    public void leave(NodeId node) {
        latest.remove(node);
    }

    @Override
    public List<Health> alive() {
        var cutoff = clock.instant().minus(ttl);
        return latest.values().stream().filter(h -> h.heartbeat().isAfter(cutoff))
                .sorted(Comparator.comparing(h -> h.node().id())).toList();
    }
}
