package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.DeviceFullException;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one writer of a store's segments, committing in groups: it takes every record queued, appends
 * them in order to the active segment and forces the file once for the lot (or once per
 * {@value #BATCH_BYTES} bytes), then completes each record's future with its position. A record is
 * thus reported only once it is durable; with fsync off, once it is written. Records queued while a
 * force runs form the next group, so the more writers, the fewer forces per record.
 */
final class Appender implements AutoCloseable {
    static final long BATCH_BYTES = 16L << 20;

    private record Job(Digest digest, byte[] frame, CompletableFuture<Long> done) {}

    private record Written(Job job, Segment segment, long position, int length) {}

    private final SegmentTable table;
    private final boolean fsync;
    private final long segmentBytes;
    private final Consumer<Segment> onSealed;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Segment active;
    private final AtomicLong appended = new AtomicLong();

    /**
     * @param segmentBytes a segment is sealed before a record would take it past this size
     * @param onSealed hears of each segment sealed (no record will be added to it again)
     */
    Appender(SegmentTable table, boolean fsync, long segmentBytes, Consumer<Segment> onSealed) {
        this.table = table;
        this.fsync = fsync;
        this.segmentBytes = Math.min(segmentBytes, SegmentTable.MAX_SEGMENT_BYTES);
        this.onSealed = onSealed;
        this.thread = new Thread(this::run, "chunk-store-appender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a frame; the future completes with its position once it is durable. */
    CompletableFuture<Long> append(Digest digest, byte[] frame) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new ChunkStoreException("put chunk " + digest + ": the store is closing"));
            return done;
        }
        queue.add(new Job(digest, frame, done));
        return done;
    }

    /** Bytes appended since the store opened. */
    long appended() {
        return appended.get();
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        while (true) {
            Job first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    break;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, 4096);
            try {
                commit(batch);
            } catch (RuntimeException | Error e) {
                // Never let the one writer die: fail what this group still waited for and go on.
                for (Job j : batch) {
                    j.done().completeExceptionally(new ChunkStoreException("put chunk " + j.digest() + ": the appender failed: " + e, e));
                }
            }
        }
    }

    private void commit(List<Job> batch) {
        List<Written> written = new ArrayList<>();
        long unforced = 0;
        for (Job job : batch) {
            int span = Record.span(job.frame().length);
            try {
                if (active == null || active.size.get() > 0 && active.size.get() + span > segmentBytes) {
                    durable(written);
                    unforced = 0;
                    roll();
                }
            } catch (IOException | RuntimeException e) {
                job.done().completeExceptionally(failure(job.digest(), e));
                continue;
            }
            Segment s = active;
            long offset = s.size.get();
            try {
                ByteBuffer[] parts = {Record.header(job.digest(), job.frame(), 0, job.frame().length), ByteBuffer.wrap(job.frame()),
                        Record.padding(job.frame().length)};
                long left = span;
                while (left > 0) {
                    left -= s.channel().write(parts);
                }
            } catch (IOException e) {
                cutBack(s, offset);
                job.done().completeExceptionally(failure(job.digest(), e));
                continue;
            }
            s.size.addAndGet(span);
            s.liveBytes.addAndGet(job.frame().length);
            s.liveChunks.incrementAndGet();
            appended.addAndGet(span);
            written.add(new Written(job, s, SegmentTable.position(s.slot, offset), job.frame().length));
            unforced += span;
            if (unforced >= BATCH_BYTES) {
                durable(written);
                unforced = 0;
            }
        }
        durable(written);
    }

    /** Forces what was written and reports it; on a failed force, reports every record of the group failed. */
    private void durable(List<Written> written) {
        if (written.isEmpty()) {
            return;
        }
        IOException failed = null;
        if (fsync) {
            try {
                written.get(written.size() - 1).segment().channel().force(false);
            } catch (IOException e) {
                failed = e;
            }
        }
        for (Written w : written) {
            if (failed == null) {
                w.job().done().complete(w.position());
            } else {
                w.segment().liveBytes.addAndGet(-w.length());
                w.segment().liveChunks.decrementAndGet();
                w.job().done().completeExceptionally(failure(w.job().digest(), failed));
            }
        }
        written.clear();
    }

    private void roll() throws IOException {
        Segment old = active;
        active = table.create();
        active.channel().position(0);
        if (old != null) {
            old.sealed = true;
            onSealed.accept(old);
        }
    }

    /** Takes a failed record's bytes off the end of its segment, so nothing half-written stays. */
    private static void cutBack(Segment s, long offset) {
        try {
            s.channel().truncate(offset);
            s.channel().position(offset);
        } catch (IOException ignored) {
            // a torn tail is cut at the next open; nothing points at it
        }
    }

    private RuntimeException failure(Digest digest, Exception e) {
        if (DeviceFullException.isDeviceFull(e)) {
            return new DeviceFullException("put chunk " + digest + ": no space left on the device under " + table.dir(), e);
        }
        return e instanceof RuntimeException r ? r : new ChunkStoreException("put chunk " + digest + ": " + e, e);
    }

    /** Writes and forces everything queued, then stops; the active segment stays open for reads. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new ChunkStoreException("put chunk " + left.digest() + ": the store closed"));
        }
    }

    /** The segment being written, if any. */
    Segment active() {
        return active;
    }
}
