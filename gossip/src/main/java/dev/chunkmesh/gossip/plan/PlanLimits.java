package dev.chunkmesh.gossip.plan;

import dev.chunkmesh.gossip.NodeId;
import java.util.HashSet;
import java.util.Set;

/**
 * Limits a plan respects.
 *
 * @param maxOriginRangeBytes adjacent chunks fetched from the origin are joined into one Range request
 *     up to this many bytes (a single larger chunk still gets its own request)
 * @param excluded nodes not to use, for example ones that just failed or served bad bytes
 */
public record PlanLimits(long maxOriginRangeBytes, Set<NodeId> excluded) {
    public PlanLimits {
        if (maxOriginRangeBytes < 1) {
            throw new IllegalArgumentException("maxOriginRangeBytes must be >= 1");
        }
        excluded = Set.copyOf(excluded);
    }

    /** Ranges of up to 16 MiB, nobody excluded. */
    public static PlanLimits defaults() {
        return new PlanLimits(16L << 20, Set.of());
    }

    /** The same limits with {@code node} excluded as well. */
    public PlanLimits excluding(NodeId node) {
        Set<NodeId> more = new HashSet<>(excluded);
        more.add(node);
        return new PlanLimits(maxOriginRangeBytes, more);
    }
}
