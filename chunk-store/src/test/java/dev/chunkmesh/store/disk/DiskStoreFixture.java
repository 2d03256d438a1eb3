package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Opening disk stores and handling their files, for the disk store's tests. */
final class DiskStoreFixture {

    private DiskStoreFixture() {
    }

    /** A store at {@code root} with no capacity limit. */
    static DiskChunkStore openAt(Path root) {
        return DiskChunkStore.open(DiskStoreConfig.of(root, Long.MAX_VALUE));
    }

    /** The segment files of the store at {@code root}, oldest first. */
    static List<Path> segments(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("segments"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dat")).sorted().toList();
        }
    }

    /** Flips the lowest bit of the byte at {@code offset} of {@code file}. */
    static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    /** Flips one bit in the middle of the stored frame of {@code d}. */
    static void flipMidFrame(DiskChunkStore store, Digest d) throws IOException {
        DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
        flip(at.file(), at.offset() + at.length() / 2);
    }

    /** Copies the directory tree {@code from} to {@code to}, as a crash would leave it. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
