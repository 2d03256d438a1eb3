package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * Rebuilds a store's index from its chunk files at open: the 256 top-level folders are scanned in
 * parallel, and chunks are loaded in modification-time order so that recency survives a restart
 * approximately (by write time).
 */
final class IndexRebuild {

    private record Found(Digest digest, long size, long mtime) {}

    /** What the scan found. */
    static final class Result {
        private final List<Found> found;
        private final long stray;

        private Result(List<Found> found, long stray) {
            this.found = found;
            this.stray = stray;
        }

        long count() {
            return found.size();
        }

        long bytes() {
            return found.stream().mapToLong(Found::size).sum();
        }

        /** Files under chunks/ whose name or place is not a chunk's; left untouched. */
        long stray() {
            return stray;
        }

        void forEachOldestFirst(ObjLongConsumer<Digest> action) {
            for (Found f : found) {
                action.accept(f.digest(), f.size());
            }
        }
    }

    private IndexRebuild() {
    }

    static Result scan(FanOut layout) throws IOException {
        List<Path> level1 = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.root())) {
            dirs.forEach(level1::add);
        }
        List<List<Found>> parts;
        long[] stray = new long[1];
        try {
            parts = level1.parallelStream().map(dir -> scanLevel1(dir, stray)).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Found> all = new ArrayList<>();
        parts.forEach(all::addAll);
        all.sort(Comparator.comparingLong(Found::mtime));
        return new Result(all, stray[0]);
    }

    private static List<Found> scanLevel1(Path dir1, long[] stray) {
        List<Found> out = new ArrayList<>();
        long strays = 0;
        try {
            if (!Files.isDirectory(dir1)) {
                strays++;
            } else {
                String name1 = dir1.getFileName().toString();
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir1)) {
                    for (Path dir2 : dirs) {
                        String name2 = dir2.getFileName().toString();
                        if (!Files.isDirectory(dir2)) {
                            strays++;
                            continue;
                        }
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir2)) {
                            for (Path f : files) {
                                Digest d = FanOut.digestOf(name1, name2, f.getFileName().toString());
                                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                                if (d == null || !a.isRegularFile()) {
                                    strays++;
                                } else {
                                    out.add(new Found(d, a.size(), a.lastModifiedTime().toMillis()));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (stray) {
            stray[0] += strays;
        }
        return out;
    }
}
