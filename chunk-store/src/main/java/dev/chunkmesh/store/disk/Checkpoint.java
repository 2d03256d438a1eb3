package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The index as of a moment: for every segment its sequence, the size it had then, and the chunks the
 * index held in it. Written at each checkpoint and at a clean close; after a crash, the store loads it
 * and scans only what segments gained since.
 *
 * <pre>
 *   "CMS1"  u32 version (2)  u32 segments
 *   per segment: u64 sequence, u64 size, u32 chunks, chunks x (32-byte digest, u32 offset / 8, u32 frame size)
 *   u32 CRC32C of everything before it
 * </pre>
 */
final class Checkpoint {
    static final String FILE = "segments.index";
    private static final int MAGIC = 0x434d5331;
    private static final int VERSION = 2;

    /** One chunk of a segment. */
    record Chunk(Digest digest, long offset, int size) {}

    /** A segment as the checkpoint saw it. */
    record SegmentState(long sequence, long size, List<Chunk> chunks) {}

    private Checkpoint() {
    }

    /** Writes the checkpoint atomically and durably as {@code root/segments.index}. */
    static void write(Path root, List<SegmentState> segments) throws IOException {
        Path temp = root.resolve(FILE + ".tmp");
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(segments.size());
            for (SegmentState s : segments) {
                out.writeLong(s.sequence());
                out.writeLong(s.size());
                out.writeInt(s.chunks().size());
                for (Chunk c : s.chunks()) {
                    out.writeLong(c.digest().w0());
                    out.writeLong(c.digest().w1());
                    out.writeLong(c.digest().w2());
                    out.writeLong(c.digest().w3());
                    out.writeInt((int) (c.offset() >>> 3));
                    out.writeInt(c.size());
                }
            }
            out.flush();
            new DataOutputStream(raw).writeInt((int) crc.getValue());
            raw.flush();
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
        CRC32C crc = new CRC32C();
        try (InputStream file = Files.newInputStream(root.resolve(FILE))) {
            BufferedInputStream buffered = new BufferedInputStream(file, 1 << 20);
            DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return Optional.empty();
            }
            int n = in.readInt();
            if (n < 0 || n > SegmentTable.SLOTS) {
                return Optional.empty();
            }
            List<SegmentState> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long sequence = in.readLong();
                long size = in.readLong();
                int chunks = in.readInt();
                if (chunks < 0 || size < 0) {
                    return Optional.empty();
                }
                List<Chunk> list = new ArrayList<>(Math.min(chunks, 1 << 16));
                for (int c = 0; c < chunks; c++) {
                    Digest d = new Digest(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                    long offset = (in.readInt() & 0xFFFFFFFFL) << 3;
                    list.add(new Chunk(d, offset, in.readInt()));
                }
                out.add(new SegmentState(sequence, size, list));
            }
            int expected = (int) crc.getValue();
            if (new DataInputStream(buffered).readInt() != expected) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (EOFException e) {
            return Optional.empty();
        }
    }
}
