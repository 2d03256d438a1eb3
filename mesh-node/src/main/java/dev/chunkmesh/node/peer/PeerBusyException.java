package dev.chunkmesh.node.peer;

import java.time.Duration;

/**
 * A peer refused a chunk request at once because all its upload slots were taken (503 with Retry-After):
 * it is well, only full. The pull asks another holder and leaves this one alone for a moment; it is
 * neither left out of the pull nor penalised.
 */
public final class PeerBusyException extends RuntimeException {
    private final String peer;
    private final Duration retryAfter;

    public PeerBusyException(String peer, Duration retryAfter) {
        super("peer " + peer + ": all upload slots taken, retry after " + retryAfter.toMillis() + " ms");
        this.peer = peer;
        this.retryAfter = retryAfter;
    }

    public String peer() {
        return peer;
    }

    /** How long the peer asked to be left alone (its Retry-After). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
