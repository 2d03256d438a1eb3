package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.plan.SourceKind;

/**
 * One transfer in flight: a unit of a strategy moving to {@code node} (or into a POP cache) from a
 * source, across {@code links}, once {@code activeAt} has passed (its latency).
 *
 * @param source a node index, or {@link #ORIGIN}, or {@link #CACHE}
 * @param from where the bytes come from, for the bytes-by-tier figures
 */
final class Transfer {
    static final int ORIGIN = -1;
    static final int CACHE = -2;

    final int node;
    final int unit;
    final int source;
    final From from;
    final int[] links;
    final double activeAt;
    final long bytes;
    double remaining;
    double rate;
    boolean failed;
    /** The pull machine's request this transfer carries out, for strategies that run one; 0 otherwise. */
    int request;

    /**
     * Where a transfer's bytes come from: the planner's {@link SourceKind}s a node fetches from (see
     * {@link #of}), plus two only the simulator tells apart: {@code UPPER}, a node of the receiving POP's
     * upper-tier POP, and {@code CACHE}, a POP's cache ({@code pop-cache}).
     */
    enum From {
        PEER, PARENT, UPPER, OTHER_POP, ORIGIN, CACHE;

        /** Where a pull machine's fetch from a peer of kind {@code k} takes its bytes from. */
        static From of(SourceKind k) {
            return switch (k) {
                case SAME_POP -> PEER;
                case PARENT -> PARENT;
                default -> OTHER_POP;
            };
        }
    }

    Transfer(int node, int unit, int source, From from, int[] links, double activeAt, long bytes) {
        this.node = node;
        this.unit = unit;
        this.source = source;
        this.from = from;
        this.links = links;
        this.activeAt = activeAt;
        this.bytes = bytes;
        this.remaining = bytes;
    }
}
