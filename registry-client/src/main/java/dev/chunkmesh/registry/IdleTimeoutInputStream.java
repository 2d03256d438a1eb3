package dev.chunkmesh.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that gives up when no byte arrives for {@code idle} while a reader waits: the stream is
 * closed and the waiting read fails with an {@link InterruptedIOException} that says so. A registry that
 * stalls mid-body (or announces more bytes than it sends) cannot hold a reader forever; a slow one that
 * keeps sending can.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-body-watch");
        t.setDaemon(true);
        return t;
    });

    private final Duration idle;
    private final String what;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile Thread reader;
    private volatile boolean timedOut;

    /** @param what the body, for the error: "blob sha256:... from http://..." */
    public IdleTimeoutInputStream(InputStream in, Duration idle, String what) {
        super(in);
        this.idle = idle;
        this.what = what;
        long period = Math.max(10, Math.min(1000, idle.toMillis() / 4));
        this.check = WATCH.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Thread t = reader;
        if (t != null && System.nanoTime() - lastProgress > idle.toNanos()) {
            timedOut = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is how the waiting read is woken; its own failure says nothing more
            }
            t.interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (timedOut) {
            throw stalled();
        }
        lastProgress = System.nanoTime();
        reader = Thread.currentThread();
        try {
            int n = in.read(b, off, len);
            if (timedOut) {
                throw stalled();
            }
            return n;
        } catch (IOException e) {
            if (timedOut) {
                throw stalled();
            }
            throw e;
        } finally {
            reader = null;
            if (timedOut) {
                Thread.interrupted(); // the watch interrupted this thread only to wake this read
            }
        }
    }

    private InterruptedIOException stalled() {
        return new InterruptedIOException(what + ": no bytes for " + idle.toSeconds() + " s, gave up");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
