package dev.chunkmesh.sim;

/**
 * One transfer in flight: a unit of a strategy moving to {@code node} (or into a POP cache) from a
 * source, across {@code links}, once {@code activeAt} has passed (its latency).
 *
 * @param source a node index, or {@link #ORIGIN}, or {@link #CACHE}
 * @param tier where the bytes come from, for the bytes-by-tier figures
 */
final class Transfer {
    static final int ORIGIN = -1;
    static final int CACHE = -2;

    final int node;
    final int unit;
    final int source;
    final Tier tier;
    final int[] links;
    final double activeAt;
    final long bytes;
    double remaining;
    double rate;
    boolean failed;
    /** The pull machine's request this transfer carries out, for strategies that run one; 0 otherwise. */
    int request;

    /** Where bytes came from; {@code UPPER} is a node of the receiving POP's upper-tier POP. */
    enum Tier { PEER, PARENT, UPPER, OTHER_POP, ORIGIN, CACHE }

    Transfer(int node, int unit, int source, Tier tier, int[] links, double activeAt, long bytes) {
        this.node = node;
        this.unit = unit;
        this.source = source;
        this.tier = tier;
        this.links = links;
        this.activeAt = activeAt;
        this.bytes = bytes;
        this.remaining = bytes;
    }
}
