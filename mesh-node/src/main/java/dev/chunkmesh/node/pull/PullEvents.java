package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeId;

/** What pulls report as they go, for metrics. Implementations must be fast and thread-safe. */
public interface PullEvents {

    /** Nothing listens. */
    PullEvents NONE = new PullEvents() {
    };

    /** A pull finished. */
    default void finished(PullReport report) {
    }

    /** A pull failed. */
    default void failed(Throwable cause) {
    }

    /** This node waited for another node's single-flight fetch: a first pull it followed, or {@code chunks} leased elsewhere. */
    default void singleFlightWait(String kind, int chunks) {
    }

    /**
     * Chunk bytes taken from the origin although a live node of the POP advertised them when the
     * fetch was planned (it was left out after failing, or penalised): the POP took them twice.
     */
    default void refetchedFromOrigin(long bytes) {
    }

    /** Chunk bytes taken from {@code peer}. */
    default void fromPeer(NodeId peer, long bytes) {
    }
}
