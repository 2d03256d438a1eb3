package dev.chunkmesh.node.peer;

/** A peer could not be asked: unreachable, refused our secret, or answered with an error. The planner may exclude it. */
public final class PeerUnavailableException extends RuntimeException {
    private final String peer;
    private final int status;

    public PeerUnavailableException(String peer, int status, String message, Throwable cause) {
        super("peer " + peer + ": " + message, cause);
        this.peer = peer;
        this.status = status;
    }

    public String peer() {
        return peer;
    }

    /** The HTTP status, or 0 when the peer did not answer. */
    public int status() {
        return status;
    }
}
