package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.AbstractChunkStore;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A chunk store on a local directory, meant for NVMe.
 *
 * <pre>
 *   DIR/segments/seg-*.dat   append-only segment files of records ({@link Record}: header, CRC32C, frame)
 *   DIR/segments.index       the checkpoint: the index as of the last checkpoint or clean close
 *   DIR/corrupt/             records that failed their check, kept for inspection
 *   DIR/store.lock           held while a process has the store open
 * </pre>
 *
 * Durability: with fsync on, a chunk is visible ({@link #has}, readable, advertised by the node) only
 * once the group of records holding it has been forced to the device, so a crash or power loss never
 * takes back a chunk that was visible; with fsync off, a crash of the process loses nothing visible,
 * power loss may. Reads check each record's CRC32C; a record that fails is moved to {@code corrupt/}
 * and reported as {@link ChunkCorruptException}. Opening recovers from the last checkpoint and scans
 * only what segments gained after it, cutting a torn tail. A store in the old file-per-chunk layout
 * ({@code DIR/chunks/ab/cd/<digest>}) is imported on first open, every chunk verified.
 */
public final class DiskChunkStore extends AbstractChunkStore {

    private final DiskStoreConfig config;
    private final SegmentTable table;
    private final Path corrupt;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Appender appender;
    private final Maintenance maintenance;
    private final OpenReport openReport;
    private volatile boolean closed;

    /**
     * How opening went: chunks and frame bytes indexed, segments found, whether a checkpoint was used,
     * bytes of segment tails scanned, torn tails cut, chunks imported from (and refused in) the old
     * layout, and the time taken.
     */
    public record OpenReport(long chunks, long bytes, int segments, boolean fromSnapshot, long tailBytesScanned, int tornTailsCut,
                             long legacyImported, long legacyRefused, long millis) {}

    /**
     * Opens (creating if needed) the store in {@code config.directory()}.
     *
     * @throws ChunkStoreException if the directory cannot be used or another process has it open
     */
    public static DiskChunkStore open(DiskStoreConfig config) {
        Path root = config.directory();
        try {
            Files.createDirectories(root.resolve("segments"));
        } catch (IOException e) {
            throw new ChunkStoreException("open chunk store " + root + ": " + e, e);
        }
        return new DiskChunkStore(config, new SegmentTable(root.resolve("segments")));
    }

    private DiskChunkStore(DiskStoreConfig config, SegmentTable table) {
        super(config.limits(), table, 1024);
        this.config = config;
        this.table = table;
        Path root = config.directory();
        this.corrupt = root.resolve("corrupt");
        try {
            Files.createDirectories(corrupt);
            this.lockChannel = FileChannel.open(root.resolve("store.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ChunkStoreException("open chunk store " + root + ": " + e, e);
        }
        this.lock = tryLock(root);
        long started = System.nanoTime();
        try {
            Recovery.Result recovered = Recovery.run(root, table, index());
            this.appender = new Appender(table, config.fsync(), segmentBytes(config), this::sealed);
            LegacyImport.Result legacy = LegacyImport.run(root, this);
            evictAfterLoad();
            var s = stats();
            this.openReport = new OpenReport(s.chunks(), s.usedBytes(), table.all().size(), recovered.fromCheckpoint(),
                    recovered.tailBytes(), recovered.cut(), legacy.imported(), legacy.refused(), (System.nanoTime() - started) / 1_000_000);
            this.maintenance = new Maintenance(root, table, index(), appender, this);
        } catch (IOException | RuntimeException e) {
            table.closeAll();
            release();
            throw e instanceof ChunkStoreException c ? c : new ChunkStoreException("open chunk store " + root + ": " + e, e);
        }
    }

    /** Segments of about 1/64 of the store (or of the device, if smaller), between 64 KiB and 128 MiB. */
    static long segmentBytes(DiskStoreConfig config) {
        long space = config.limits().capacityBytes();
        try {
            space = Math.min(space, Files.getFileStore(config.directory()).getTotalSpace());
        } catch (IOException ignored) {
            // the configured capacity alone
        }
        return Math.max(64L << 10, Math.min(SegmentTable.MAX_SEGMENT_BYTES, space / 64));
    }

    private FileLock tryLock(Path root) {
        try {
            FileLock l = lockChannel.tryLock();
            if (l == null) {
                throw new ChunkStoreException("chunk store " + root + " is in use by another process");
            }
            return l;
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly();
            throw new ChunkStoreException("chunk store " + root + " is in use: " + e, e);
        } catch (ChunkStoreException e) {
            closeQuietly();
            throw e;
        }
    }

    public OpenReport openReport() {
        return openReport;
    }

    public Path directory() {
        return config.directory();
    }

    /** Where a held chunk's record is: its segment file and the offset of its frame, for tools and tests. */
    public Optional<FrameLocation> locationOf(Digest digest) {
        OptionalLong at = locate(digest);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        long position = ChunkIndex.position(at.getAsLong());
        Segment s = table.get(SegmentTable.slotOf(position));
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new FrameLocation(s.path, SegmentTable.offsetOf(position) + Record.HEADER, ChunkIndex.size(at.getAsLong())));
    }

    /** A frame's place on disk: its segment file, the frame's offset in it, and its length. */
    public record FrameLocation(Path file, long offset, int length) {}

    /** Heap bytes of the index's table, for benchmarks. */
    public long indexBytes() {
        return index().tableBytes();
    }

    /** Bytes of segment files on disk (live frames, record headers and what is not yet compacted away). */
    public long fileBytes() {
        return table.all().stream().mapToLong(s -> s.size.get()).sum();
    }

    @Override
    protected CompletableFuture<Long> writeFrame(Digest digest, byte[] frame) {
        if (closed) {
            return CompletableFuture.failedFuture(new ChunkStoreException("put chunk " + digest + ": the store is closed"));
        }
        return appender.append(digest, frame);
    }

    @Override
    protected byte[] readFrame(Digest digest, long position, int size) {
        Segment s = table.get(SegmentTable.slotOf(position));
        if (s == null) {
            throw new ChunkMissingException(digest);
        }
        return Arrays.copyOfRange(readChecked(s, digest, position, size), Record.HEADER, Record.HEADER + size);
    }

    /** The whole record at {@code position}, read from the file and checked. */
    private static byte[] readChecked(Segment s, Digest digest, long position, int size) {
        byte[] record = s.read(digest, SegmentTable.offsetOf(position), Record.HEADER + size);
        Record.check(digest, record, size);
        return record;
    }

    @Override
    protected ByteBuffer readFrameBuffer(Digest digest, long position, int size) {
        Segment s = table.get(SegmentTable.slotOf(position));
        if (s == null) {
            throw new ChunkMissingException(digest);
        }
        Optional<ByteBuffer> mapped = s.view(SegmentTable.offsetOf(position), Record.HEADER + size);
        if (mapped.isPresent()) {
            Record.check(digest, mapped.get(), size);
            return mapped.get().slice(Record.HEADER, size);
        }
        return ByteBuffer.wrap(readChecked(s, digest, position, size), Record.HEADER, size).slice();
    }

    @Override
    protected boolean compresses() {
        return config.compress();
    }

    @Override
    protected boolean readsAreChecked() {
        return true;
    }

    @Override
    protected void free(long position, int size) {
        Segment s = table.get(SegmentTable.slotOf(position));
        if (s == null) {
            return;
        }
        s.liveBytes.addAndGet(-size);
        if (s.liveChunks.decrementAndGet() <= 0 && s.sealed) {
            table.drop(s);
        }
    }

    private void sealed(Segment s) {
        if (s.liveChunks.get() <= 0) {
            table.drop(s);
        }
    }

    @Override
    protected void quarantine(Digest digest, long position, int size) {
        Segment s = table.get(SegmentTable.slotOf(position));
        if (s != null) {
            try {
                byte[] record = s.read(digest, SegmentTable.offsetOf(position), Record.HEADER + size);
                Files.write(corrupt.resolve(digest.hex() + "." + System.currentTimeMillis()), record);
            } catch (IOException | RuntimeException ignored) {
                // kept aside only where it can be read; it is out of service either way
            }
        }
        free(position, size);
    }

    /**
     * Deleted segments free their space only once no mapping of them is left: after an eviction for a
     * full device, a collection lets the views already handed out be unmapped.
     */
    @Override
    protected void reclaim() {
        Maintenance.unmapRetired(0);
    }

    @Override
    protected OptionalLong deviceFreeBytes() {
        try {
            return OptionalLong.of(Files.getFileStore(config.directory()).getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Writes a checkpoint now (done on its own every 256 MiB appended or minute of changes). */
    public void checkpoint() {
        maintenance.checkpoint();
    }

    /**
     * Forces every queued chunk to the device, writes the checkpoint so the next open is fast, then
     * releases the store. If the checkpoint cannot be written, the next open scans instead.
     */
    @Override
    public void close() {
        if (closed || !lock.isValid()) {
            return;
        }
        closed = true;
        try {
            maintenance.close();
            appender.close();
            maintenance.checkpoint();
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(config.directory().resolve(Checkpoint.FILE));
            } catch (IOException ignored) {
                // the next open scans every segment
            }
        } finally {
            table.closeAll();
            release();
        }
    }

    private void release() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
