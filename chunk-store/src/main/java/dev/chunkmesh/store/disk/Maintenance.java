package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A store's background work, on a thread of its own: a checkpoint after every 256 MiB appended or,
 * when anything changed, every minute; and compaction: once segment files take noticeably more than
 * the live chunks, the oldest sealed segments that are less than half live have their live chunks
 * (pinned, recently used or just not evicted yet) copied forward, and are deleted. Reads never wait
 * for either: a chunk is moved in the index only once its copy is durable.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Maintenance.class.getName());
    static final long CHECKPOINT_BYTES = 256L << 20;
    static final long CHECKPOINT_NANOS = 60_000_000_000L;

    private final Path root;
    private final SegmentTable table;
    private final ChunkIndex index;
    private final Appender appender;
    private final DiskChunkStore store;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chunk-store-maintenance");
        t.setDaemon(true);
        return t;
    });
    private long checkpointAppended;
    private long checkpointNanos = System.nanoTime();
    private StoreStats checkpointStats;

    Maintenance(Path root, SegmentTable table, ChunkIndex index, Appender appender, DiskChunkStore store) {
        this.root = root;
        this.table = table;
        this.index = index;
        this.appender = appender;
        this.store = store;
        this.checkpointStats = index.stats(0);
        thread.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            long appended = appender.appended();
            StoreStats now = index.stats(0);
            boolean changed = appended != checkpointAppended || !now.equals(checkpointStats);
            if (appended - checkpointAppended >= CHECKPOINT_BYTES || changed && System.nanoTime() - checkpointNanos >= CHECKPOINT_NANOS) {
                checkpoint();
            }
            compact();
            unmapRetired(RETIRED_MAPPED_LIMIT);
        } catch (RuntimeException e) {
            LOG.warning("chunk store " + root + ": background work failed (retried in a second): " + e);
        }
    }

    /** Deleted segments still mapped past this many bytes are unmapped by a collection (their disk space comes back). */
    static final long RETIRED_MAPPED_LIMIT = 512L << 20;

    /**
     * Asks the garbage collector to unmap deleted segments once more than {@code limit} bytes of them may
     * still be mapped, and waits briefly for it: the JDK unmaps a mapping only when its buffers are collected.
     */
    static void unmapRetired(long limit) {
        if (Segment.RETIRED_MAPPED.get() > limit) {
            Segment.RETIRED_MAPPED.set(0);
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes the index as it is now, with each segment's size (taken first), durably. */
    synchronized void checkpoint() {
        long appended = appender.appended();
        StoreStats stats = index.stats(0);
        List<long[]> segments = new ArrayList<>();
        for (Segment s : table.all()) {
            segments.add(new long[] {s.slot, s.sequence, s.size.get()});
        }
        long[] sizes = new long[SegmentTable.SLOTS];
        boolean[] known = new boolean[SegmentTable.SLOTS];
        segments.forEach(s -> {
            sizes[(int) s[0]] = s[2];
            known[(int) s[0]] = true;
        });
        // Both passes over the index under one hold of its lock, so they see the same chunks; the file is written after.
        ByteBuffer bytes;
        synchronized (index) {
            int[] counts = new int[SegmentTable.SLOTS];
            index.forEachEntry((w0, w1, w2, w3, position, size) -> {
                int slot = SegmentTable.slotOf(position);
                if (known[slot] && SegmentTable.offsetOf(position) < sizes[slot]) {
                    counts[slot]++;
                }
            });
            bytes = Checkpoint.encode(segments, counts, sink -> index.forEachEntry((w0, w1, w2, w3, position, size) -> {
                int slot = SegmentTable.slotOf(position);
                if (known[slot] && SegmentTable.offsetOf(position) < sizes[slot]) {
                    sink.chunk(slot, w0, w1, w2, w3, SegmentTable.offsetOf(position), size);
                }
            }));
        }
        try {
            Checkpoint.write(root, bytes);
        } catch (IOException e) {
            throw new ChunkStoreException("write checkpoint of " + root + ": " + e, e);
        }
        checkpointAppended = appended;
        checkpointStats = stats;
        checkpointNanos = System.nanoTime();
    }

    /** Copies the live chunks out of at most two sparse cold segments, when the files have grown well past the live bytes. */
    private void compact() {
        long used = index.stats(0).usedBytes();
        List<Segment> all = table.all();
        long files = all.stream().mapToLong(s -> s.size.get()).sum();
        long segment = all.stream().mapToLong(s -> s.size.get()).max().orElse(0);
        if (files <= used + used / 4 + 2 * segment) {
            return;
        }
        int done = 0;
        for (Segment s : all) {
            if (done == 2) {
                break;
            }
            if (s.sealed && s != appender.active() && s.liveBytes.get() * 2 < s.size.get()) {
                relocate(s);
                done++;
            }
        }
    }

    /** Copies a segment's live chunks to the active segment, all queued at once so they commit in one group. */
    private void relocate(Segment s) {
        List<long[]> live = new ArrayList<>();
        index.forEachEntry((w0, w1, w2, w3, position, size) -> {
            if (SegmentTable.slotOf(position) == s.slot) {
                live.add(new long[] {w0, w1, w2, w3, position, size});
            }
        });
        List<CompletableFuture<Void>> moves = new ArrayList<>();
        for (long[] e : live) {
            Digest d = new Digest(e[0], e[1], e[2], e[3]);
            long from = e[4];
            int size = (int) e[5];
            byte[] frame;
            try {
                frame = store.readFrame(d, from, size);
            } catch (RuntimeException unreadable) {
                continue;
            }
            moves.add(appender.append(d, frame).thenAccept(to -> {
                if (index.relocate(d, from, to)) {
                    store.free(from, size);
                } else {
                    store.free(to, size);
                }
            }));
        }
        moves.forEach(CompletableFuture::join);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
