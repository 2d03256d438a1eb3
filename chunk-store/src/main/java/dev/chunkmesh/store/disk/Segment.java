package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One append-only segment file, {@code seg-<sequence>.dat}. Only the store's appender writes to it;
 * any thread reads from it. A retired segment's file is deleted once the last reader is done, so
 * reads never wait for compaction or eviction.
 */
final class Segment {
    final long sequence;
    final int slot;
    final Path path;
    private final FileChannel channel;
    /** Bytes appended: the offset of the next record. */
    final AtomicLong size = new AtomicLong();
    /** Bytes of frames the index holds in this segment. */
    final AtomicLong liveBytes = new AtomicLong();
    final AtomicLong liveChunks = new AtomicLong();
    volatile boolean sealed;
    /** The whole file mapped read-only, once sealed and first read (its records never change again). */
    private volatile MappedByteBuffer mapped;
    /**
     * Bytes of deleted segments that may still be mapped (views handed out keep a mapping, and with it
     * the file's space, until the garbage collector unmaps it; the JDK has no safe explicit unmap).
     */
    static final AtomicLong RETIRED_MAPPED = new AtomicLong();

    /** One reference for the store, one per read in progress; at zero the file goes. */
    private final AtomicInteger refs = new AtomicInteger(1);

    private Segment(long sequence, int slot, Path path, FileChannel channel, long size) {
        this.sequence = sequence;
        this.slot = slot;
        this.path = path;
        this.channel = channel;
        this.size.set(size);
    }

    static String name(long sequence) {
        return String.format("seg-%016x.dat", sequence);
    }

    /** The sequence a file name stands for, or -1 if it names no segment. */
    static long sequenceOf(String fileName) {
        if (!fileName.matches("seg-[0-9a-f]{16}\\.dat")) {
            return -1;
        }
        return Long.parseUnsignedLong(fileName.substring(4, 20), 16);
    }

    static Segment create(Path dir, long sequence, int slot) throws IOException {
        Path p = dir.resolve(name(sequence));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(sequence, slot, p, ch, 0);
    }

    static Segment open(Path file, long sequence, int slot) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(sequence, slot, file, ch, ch.size());
    }

    FileChannel channel() {
        return channel;
    }

    /** Reads {@code length} bytes at {@code offset}, or fails as missing if the segment is already gone. */
    byte[] read(Digest digest, long offset, int length) {
        if (!acquire()) {
            throw new ChunkMissingException(digest);
        }
        try {
            byte[] out = new byte[length];
            ByteBuffer b = ByteBuffer.wrap(out);
            long at = offset;
            while (b.hasRemaining()) {
                int n = channel.read(b, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            if (b.hasRemaining()) {
                throw new ChunkCorruptException(digest, "record runs past the end of " + path.getFileName());
            }
            return out;
        } catch (IOException e) {
            throw new ChunkStoreException("read chunk " + digest + " from " + path + ": " + e, e);
        } finally {
            release();
        }
    }

    /**
     * {@code length} bytes at {@code offset} as a read-only view of the file mapped in memory (no copy:
     * the bytes stay in the page cache). Records never change once written: the active segment is mapped
     * up to its size now and mapped again, larger, when a read lies past that; only a record that failed
     * to be written is ever cut off, and it lies past any mapping. Empty when mapping fails.
     */
    Optional<ByteBuffer> view(long offset, int length) {
        MappedByteBuffer m = mapped;
        if (m == null || offset + length > m.capacity()) {
            synchronized (this) {
                m = mapped;
                if (m == null || offset + length > m.capacity()) {
                    long end = size.get();
                    if (offset + length > end || !acquire()) {
                        return Optional.empty();
                    }
                    try {
                        m = channel.map(FileChannel.MapMode.READ_ONLY, 0, end);
                        mapped = m;
                    } catch (IOException | RuntimeException e) {
                        return Optional.empty();
                    } finally {
                        release();
                    }
                }
            }
        }
        return Optional.of(m.slice((int) offset, length));
    }

    boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            closeAndDelete();
        }
    }

    /** Gives up the store's reference: the file is deleted when no read is using it. */
    void retire() {
        release();
    }

    private void closeAndDelete() {
        if (mapped != null) {
            RETIRED_MAPPED.addAndGet(mapped.capacity());
            mapped = null;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // left for the next open, which deletes segments with no live chunk
        }
    }

    /** Closes the file without deleting it (the store is closing). */
    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
