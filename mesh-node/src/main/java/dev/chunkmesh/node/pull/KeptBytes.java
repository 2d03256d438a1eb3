package dev.chunkmesh.node.pull;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's budget of raw chunk bytes that pulls keep in hand for the clients streaming them
 * ({@link BlobProgress#takeRecent}): past it, a client's stream reads the store as before, so many
 * slow clients cannot pin more heap than this. Thread-safe.
 */
public final class KeptBytes {
    /** The node's default: four blobs' worth of {@link BlobProgress#RECENT_BYTES}. */
    public static final long DEFAULT_LIMIT = 64L << 20;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public KeptBytes(long limit) {
        this.limit = limit;
    }

    /** Takes {@code n} bytes of the budget if they fit; whoever got them gives them back. */
    boolean take(long n) {
        while (true) {
            long now = used.get();
            if (now + n > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    void give(long n) {
        used.addAndGet(-n);
    }

    /** Bytes kept now, across the node's pulls. */
    public long used() {
        return used.get();
    }
}
