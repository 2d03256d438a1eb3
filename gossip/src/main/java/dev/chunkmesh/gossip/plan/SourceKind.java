package dev.chunkmesh.gossip.plan;

/** Where a chunk comes from, in the order the planner prefers them. */
public enum SourceKind {
    /** Already in the node's own store. */
    LOCAL,
    /** A peer in the same POP. */
    SAME_POP,
    /** The tier above: a node of a micro-hub's parent POP, or the upper-tier POP (a region) a POP names. */
    PARENT,
    /** A node elsewhere: another POP, or a micro-hub. */
    OTHER_POP,
    /** The origin registry, by an HTTP Range request on the blob. */
    ORIGIN;

    /** The name operators see in metrics, logs and reports: local, peer, parent, other-pop, origin. */
    public String label() {
        return switch (this) {
            case LOCAL -> "local";
            case SAME_POP -> "peer";
            case PARENT -> "parent";
            case OTHER_POP -> "other-pop";
            case ORIGIN -> "origin";
        };
    }
}
