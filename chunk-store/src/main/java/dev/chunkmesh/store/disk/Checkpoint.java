package dev.chunkmesh.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The index as of a moment: for every segment its sequence, the size it had then, and the chunks the
 * index held in it. Written at each checkpoint and at a clean close; after a crash, the store loads it
 * and scans only what segments gained since. Read and written as one buffer, with no object per chunk.
 *
 * <pre>
 *   "CMS1"  u32 version (2)  u32 segments
 *   per segment: u64 sequence, u64 size, u32 chunks, chunks x (32-byte digest, u32 offset / 8, u32 frame size)
 *   u32 CRC32C of everything before it
 * </pre>
 */
final class Checkpoint {
    static final String FILE = "segments.index";
    static final int ENTRY = 40;
    private static final int MAGIC = 0x434d5331;
    private static final int VERSION = 2;
    private static final int SEGMENT_HEADER = 20;

    /**
     * A segment as the checkpoint saw it; {@code entries} holds its chunks, {@value #ENTRY} bytes each:
     * the digest's four longs, offset / 8, frame size.
     */
    record SegmentState(long sequence, long size, int chunks, ByteBuffer entries) {}

    /** Takes one chunk of the checkpoint. */
    @FunctionalInterface
    interface ChunkSink {
        void chunk(int slot, long w0, long w1, long w2, long w3, long offset, int size);
    }

    private Checkpoint() {
    }

    /**
     * The checkpoint's bytes.
     *
     * @param segments per segment {slot, sequence, size}
     * @param counts chunks per slot; {@code chunks} must give exactly that many for each
     */
    static ByteBuffer encode(List<long[]> segments, int[] counts, Consumer<ChunkSink> chunks) {
        long total = 12;
        int[] at = new int[counts.length];
        for (long[] s : segments) {
            total += SEGMENT_HEADER + (long) counts[(int) s[0]] * ENTRY;
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(total + 4));
        b.putInt(MAGIC).putInt(VERSION).putInt(segments.size());
        for (long[] s : segments) {
            int slot = (int) s[0];
            b.putLong(s[1]).putLong(s[2]).putInt(counts[slot]);
            at[slot] = b.position();
            b.position(b.position() + counts[slot] * ENTRY);
        }
        int end = b.position();
        chunks.accept((slot, w0, w1, w2, w3, offset, size) -> {
            int p = at[slot];
            b.putLong(p, w0).putLong(p + 8, w1).putLong(p + 16, w2).putLong(p + 24, w3).putInt(p + 32, (int) (offset >>> 3))
                    .putInt(p + 36, size);
            at[slot] = p + ENTRY;
        });
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, end);
        b.putInt(end, (int) crc.getValue());
        b.position(0).limit(end + 4);
        return b;
    }

    /** Writes encoded checkpoint bytes atomically and durably as {@code root/segments.index}. */
    static void write(Path root, ByteBuffer b) throws IOException {
        Path temp = root.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
        Files.move(temp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(root, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** The checkpoint, or empty if there is none or it is damaged in any way (the caller then scans every segment). */
    static Optional<List<SegmentState>> read(Path root) throws IOException {
        Files.deleteIfExists(root.resolve(FILE + ".tmp"));
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(root.resolve(FILE), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 16 || size > Integer.MAX_VALUE - 8) {
                return Optional.empty();
            }
            b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until full
            }
            b.flip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int end = b.limit() - 4;
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, end);
        if ((int) crc.getValue() != b.getInt(end) || b.getInt(0) != MAGIC || b.getInt(4) != VERSION) {
            return Optional.empty();
        }
        int n = b.getInt(8);
        if (n < 0 || n > SegmentTable.SLOTS) {
            return Optional.empty();
        }
        List<SegmentState> out = new ArrayList<>(n);
        int p = 12;
        for (int i = 0; i < n; i++) {
            if (p + SEGMENT_HEADER > end) {
                return Optional.empty();
            }
            long sequence = b.getLong(p);
            long size = b.getLong(p + 8);
            int chunks = b.getInt(p + 16);
            p += SEGMENT_HEADER;
            if (chunks < 0 || size < 0 || p + (long) chunks * ENTRY > end) {
                return Optional.empty();
            }
            out.add(new SegmentState(sequence, size, chunks, b.slice(p, chunks * ENTRY)));
            p += chunks * ENTRY;
        }
        return p == end ? Optional.of(out) : Optional.empty();
    }
}
