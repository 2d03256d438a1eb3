package dev.chunkmesh.store.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deletes frames left half-written in the temp folder by a process that died. */
final class TempSweeper {
    private TempSweeper() {
    }

    /** Deletes every file in {@code tmp}; returns how many. Call only while holding the store lock. */
    static long sweep(Path tmp) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                n++;
            }
        }
        return n;
    }
}
