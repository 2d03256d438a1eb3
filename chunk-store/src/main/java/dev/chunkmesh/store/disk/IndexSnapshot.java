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
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The index a store writes when it closes cleanly, so the next open need not stat every chunk file.
 *
 * <pre>
 *   "CMIX"  u32 version (1)  u64 count
 *   count x (32-byte digest, u32 frame size), least recently used first
 *   32-byte SHA-256 of everything before it
 * </pre>
 *
 * Opening consumes the snapshot: it is deleted (and the deletion made durable) before the store accepts
 * a write, so after a crash there is no snapshot and the store is rebuilt by a full scan.
 */
final class IndexSnapshot {

    static final String FILE = "index.snapshot";
    private static final int MAGIC = 0x434d4958;
    private static final int VERSION = 1;

    record Entry(Digest digest, long size) {}

    private IndexSnapshot() {
    }

    /** Writes {@code entries} atomically as {@code root/index.snapshot}. */
    static void write(Path root, Path tmpDir, List<Entry> entries) throws IOException {
        Path temp = tmpDir.resolve(FILE + "." + ProcessHandle.current().pid());
        MessageDigest sha = Digest.newSha256();
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, sha));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.digest().w0());
                out.writeLong(e.digest().w1());
                out.writeLong(e.digest().w2());
                out.writeLong(e.digest().w3());
                out.writeInt((int) e.size());
            }
            out.flush();
            raw.write(sha.digest());
            raw.flush();
            ch.force(false);
        }
        Files.move(temp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(root);
    }

    /**
     * Reads and deletes the snapshot. Empty if there is none or it is damaged in any way (then it is
     * deleted too and the caller scans).
     */
    static Optional<List<Entry>> consume(Path root) throws IOException {
        Path file = root.resolve(FILE);
        Optional<List<Entry>> entries;
        try (InputStream in = Files.newInputStream(file)) {
            entries = read(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Files.delete(file);
        syncDirectory(root);
        return entries;
    }

    private static Optional<List<Entry>> read(InputStream file) throws IOException {
        MessageDigest sha = Digest.newSha256();
        BufferedInputStream buffered = new BufferedInputStream(file, 1 << 16);
        DataInputStream in = new DataInputStream(new DigestInputStream(buffered, sha));
        try {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return Optional.empty();
            }
            long count = in.readLong();
            if (count < 0 || count > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            List<Entry> entries = new ArrayList<>((int) Math.min(count, 1 << 20));
            for (long i = 0; i < count; i++) {
                Digest d = new Digest(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                long size = in.readInt() & 0xFFFFFFFFL;
                entries.add(new Entry(d, size));
            }
            byte[] expected = sha.digest();
            byte[] trailer = buffered.readNBytes(33);
            if (trailer.length != 32 || !Arrays.equals(expected, trailer)) {
                return Optional.empty();
            }
            return Optional.of(entries);
        } catch (EOFException e) {
            return Optional.empty();
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
