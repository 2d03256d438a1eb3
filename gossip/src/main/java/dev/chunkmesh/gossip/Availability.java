package dev.chunkmesh.gossip;

import dev.chunkmesh.store.Digest;
import java.util.Map;

/**
 * Who in a POP holds which blob, and which of its chunks: one entry per (node, blob), holding a
 * {@link ChunkBitmap}, so a node half way through a pull can already serve what it has.
 *
 * <p>Every claim is advice: a reader verifies each chunk by digest, so a wrong claim costs time, never
 * correctness. Implementations are safe for concurrent use; a Hazelcast one may block, so callers on an
 * event loop move these calls to a worker thread.
 */
public interface Availability {

    /** Records that {@code node} holds {@code held} of {@code blob}, replacing what it said before. */
    void advertise(NodeInfo node, Digest blob, ChunkBitmap held);

    /** Records that {@code node} no longer holds any of {@code blob}. */
    void withdraw(NodeId node, Digest blob);

    /** Removes every claim of {@code node}, for a node that left or died. */
    void withdrawAll(NodeId node);

    /**
     * Calls {@code changed} on another thread soon after any claim on {@code blob} is made, replaced or
     * withdrawn, until the returned handle is closed. Calls may be coalesced or repeated; a listener reads
     * {@link #holders} again to learn what changed.
     */
    Watch watch(Digest blob, Runnable changed);

    /** A registration of {@link #watch}; closing it stops the calls. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** Every node that claims some of {@code blob}, with what it claims; empty if none. */
    Map<NodeInfo, ChunkBitmap> holders(Digest blob);
}
