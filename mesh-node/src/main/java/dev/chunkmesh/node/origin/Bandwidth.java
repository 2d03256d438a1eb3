package dev.chunkmesh.node.origin;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket over bytes: callers report bytes they moved and are held back so that the average
 * stays under the limit, with a burst of at most {@code burstBytes}. A limit of 0 means unlimited.
 */
public final class Bandwidth {
    private final long bytesPerSecond;
    private final long burst;
    private double tokens;
    private long last = System.nanoTime();

    /** A limit with one second's worth of burst. */
    public Bandwidth(long bytesPerSecond) {
        this(bytesPerSecond, bytesPerSecond);
    }

    public Bandwidth(long bytesPerSecond, long burstBytes) {
        if (bytesPerSecond < 0 || burstBytes < 0) {
            throw new IllegalArgumentException("bandwidth and burst cannot be negative");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burstBytes;
        this.tokens = burstBytes;
    }

    public static Bandwidth unlimited() {
        return new Bandwidth(0);
    }

    /** {@link #take} for I/O code: an interrupt while waiting becomes an {@link InterruptedIOException}, the flag kept. */
    public void charge(long bytes) throws InterruptedIOException {
        try {
            take(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while held to the origin bandwidth");
        }
    }

    /** Takes {@code bytes} from the bucket, sleeping as long as the limit requires. */
    public void take(long bytes) throws InterruptedException {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * bytesPerSecond / 1e9);
            last = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
