package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** {@link Leases} in memory, lapsing by the given clock. */
public final class InMemoryLeases implements Leases {
    private record Held(NodeId holder, Instant until) {}

    private final Clock clock;
    private final Duration leaseTime;
    private final Map<String, Held> leases = new HashMap<>();

    public InMemoryLeases(Clock clock, Duration leaseTime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
    }

    @Override
    public synchronized LeaseResult acquire(String key, NodeId self) {
        Instant now = clock.instant();
        Held h = leases.get(key);
        if (h != null && h.until().isAfter(now) && !h.holder().equals(self)) {
            return new LeaseResult.HeldBy(key, h.holder());
        }
        leases.put(key, new Held(self, now.plus(leaseTime)));
        return new LeaseResult.Acquired(key, self);
    }

    @Override
    public synchronized void release(String key, NodeId self) {
        Held h = leases.get(key);
        if (h != null && h.holder().equals(self)) {
            leases.remove(key);
        }
    }
}
