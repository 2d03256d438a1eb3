package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Peers caught sending bad bytes, left out of every plan of this node for a while. Thread-safe. */
public final class Penalties {
    private final Clock clock;
    private final Duration time;
    private final Map<NodeId, Instant> until = new ConcurrentHashMap<>();
    private final Map<NodeId, Long> counts = new ConcurrentHashMap<>();

    public Penalties(Clock clock, Duration time) {
        this.clock = clock;
        this.time = time;
    }

    public void penalise(NodeId peer) {
        until.put(peer, clock.instant().plus(time));
        counts.merge(peer, 1L, Long::sum);
    }

    /** Peers serving a penalty now. */
    public Set<NodeId> current() {
        Instant now = clock.instant();
        until.values().removeIf(t -> !t.isAfter(now));
        return until.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    /** How often each peer was penalised since the node started. */
    public Map<NodeId, Long> counts() {
        return Map.copyOf(counts);
    }
}
