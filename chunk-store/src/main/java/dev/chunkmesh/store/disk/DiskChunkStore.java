package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.AbstractChunkStore;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.DeviceFullException;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A chunk store on a local directory, meant for NVMe.
 *
 * <pre>
 *   DIR/chunks/ab/12/ab12…   one file per chunk: its frame, named by the chunk's digest
 *   DIR/tmp/                 frames being written; swept when the store opens
 *   DIR/corrupt/             frames that failed verification, kept for inspection
 *   DIR/store.lock           held while a process has the store open
 * </pre>
 *
 * A frame is written to {@code tmp/}, forced to the device (unless {@link DiskStoreConfig#fsync()} is
 * off), then renamed atomically into place, so a crash at any point leaves either the whole frame or
 * none. Reads verify every frame against its digest; a mismatch moves the file to {@code corrupt/}.
 */
public final class DiskChunkStore extends AbstractChunkStore {

    private final DiskStoreConfig config;
    private final FanOut layout;
    private final Path tmp;
    private final Path corrupt;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong tmpCounter = new AtomicLong();
    /** One bit per {@code ab/12} fan-out folder known to exist. */
    private final AtomicLongArray knownFolders = new AtomicLongArray(65536 / 64);
    private final OpenReport openReport;

    /**
     * How opening went: chunks indexed, temp files swept, stray files ignored, whether the index came
     * from the snapshot of a clean close (else from a full scan), and the time taken.
     */
    public record OpenReport(long chunks, long bytes, long tempFilesSwept, long strayFiles, boolean fromSnapshot,
                             long millis) {}

    /**
     * Opens (creating if needed) the store in {@code config.directory()}, sweeps leftover temp files and
     * rebuilds the index from the chunk files.
     *
     * @throws ChunkStoreException if the directory cannot be used or another process has it open
     */
    public static DiskChunkStore open(DiskStoreConfig config) {
        return new DiskChunkStore(config);
    }

    private DiskChunkStore(DiskStoreConfig config) {
        super(config.limits());
        this.config = config;
        Path root = config.directory();
        this.layout = new FanOut(root.resolve("chunks"));
        this.tmp = root.resolve("tmp");
        this.corrupt = root.resolve("corrupt");
        try {
            Files.createDirectories(layout.root());
            Files.createDirectories(tmp);
            Files.createDirectories(corrupt);
            this.lockChannel = FileChannel.open(root.resolve("store.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ChunkStoreException("open chunk store " + root + ": " + e, e);
        }
        this.lock = tryLock(root);
        try {
            long started = System.nanoTime();
            long swept = TempSweeper.sweep(tmp);
            Optional<List<IndexSnapshot.Entry>> snapshot = IndexSnapshot.consume(root);
            long chunks;
            long bytes = 0;
            long stray = 0;
            if (snapshot.isPresent()) {
                for (IndexSnapshot.Entry e : snapshot.get()) {
                    loadExisting(e.digest(), e.size());
                    bytes += e.size();
                }
                chunks = snapshot.get().size();
            } else {
                IndexRebuild.Result found = IndexRebuild.scan(layout);
                found.forEachOldestFirst(this::loadExisting);
                chunks = found.count();
                bytes = found.bytes();
                stray = found.stray();
            }
            evictAfterLoad();
            this.openReport = new OpenReport(chunks, bytes, swept, stray, snapshot.isPresent(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            release();
            throw e instanceof ChunkStoreException c ? c : new ChunkStoreException("open chunk store " + root + ": " + e, e);
        }
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

    /** Where the chunk's frame lives (it may not exist). */
    public Path pathOf(Digest digest) {
        return layout.pathOf(digest);
    }

    @Override
    protected void writeFrame(Digest digest, byte[] frame) {
        Path temp = tmp.resolve(digest.hex() + "." + ProcessHandle.current().pid() + "." + tmpCounter.incrementAndGet());
        Path target = layout.pathOf(digest);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(frame);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (config.fsync()) {
                    ch.force(false);
                }
            }
            ensureFanOutFolder(digest, target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException folderRemoved) {
                Files.createDirectories(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw new ChunkStoreException("put chunk " + digest + ": " + tmp + " and " + layout.root()
                    + " must be on one file system for atomic renames", e);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (isNoSpace(e)) {
                throw new DeviceFullException("put chunk " + digest + ": no space left on the device under "
                        + config.directory(), e);
            }
            throw new ChunkStoreException("put chunk " + digest + ": " + e, e);
        }
    }

    @Override
    protected OptionalLong deviceFreeBytes() {
        try {
            return OptionalLong.of(Files.getFileStore(config.directory()).getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Creates the chunk's fan-out folder once per store lifetime instead of once per write. */
    private void ensureFanOutFolder(Digest digest, Path folder) throws IOException {
        int bucket = (int) (digest.w0() >>> 48);
        long bit = 1L << (bucket & 63);
        if ((knownFolders.get(bucket >>> 6) & bit) == 0) {
            Files.createDirectories(folder);
            knownFolders.getAndAccumulate(bucket >>> 6, bit, (a, b) -> a | b);
        }
    }

    @Override
    protected byte[] readFrame(Digest digest) {
        try {
            return Files.readAllBytes(layout.pathOf(digest));
        } catch (NoSuchFileException e) {
            throw new ChunkMissingException(digest);
        } catch (IOException e) {
            throw new ChunkStoreException("read chunk " + digest + ": " + e, e);
        }
    }

    @Override
    protected void deleteFrame(Digest digest) {
        try {
            Files.deleteIfExists(layout.pathOf(digest));
        } catch (IOException e) {
            throw new ChunkStoreException("delete chunk " + digest + ": " + e, e);
        }
    }

    @Override
    protected void quarantine(Digest digest) {
        Path aside = corrupt.resolve(digest.hex() + "." + System.currentTimeMillis());
        try {
            Files.move(layout.pathOf(digest), aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // already gone: nothing left to serve
        } catch (IOException e) {
            deleteQuietly(layout.pathOf(digest));
        }
    }

    /**
     * Writes the index snapshot so the next open is fast, then releases the store. If the snapshot
     * cannot be written, the next open scans instead.
     */
    @Override
    public void close() {
        if (!lock.isValid()) {
            return;
        }
        try {
            List<IndexSnapshot.Entry> entries = new ArrayList<>();
            forEachIndexedOldestFirst((d, size) -> entries.add(new IndexSnapshot.Entry(d, size)));
            IndexSnapshot.write(config.directory(), tmp, entries);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(config.directory().resolve(IndexSnapshot.FILE));
        } finally {
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

    private static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // swept at the next open
        }
    }
}
