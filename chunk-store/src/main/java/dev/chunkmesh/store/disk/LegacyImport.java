package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreFullException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Imports a store written in the old layout (one file per chunk under {@code chunks/ab/cd/}) into
 * segments on first open: every frame is decoded and checked against its digest, stored, and its file
 * deleted once the copy is durable. A chunk that fails its check is dropped and counted. If the new
 * store fills up, the rest stays in the old folder, said so in the log, and is imported at the next open.
 */
final class LegacyImport {
    private static final Logger LOG = Logger.getLogger(LegacyImport.class.getName());
    private static final int WINDOW = 64;

    record Result(long imported, long refused) {}

    private record Pending(Path file, CompletableFuture<Void> put) {}

    private LegacyImport() {
    }

    static Result run(Path root, DiskChunkStore store) throws IOException {
        Path old = root.resolve("chunks");
        Files.deleteIfExists(root.resolve("index.snapshot"));
        deleteTree(root.resolve("tmp"));
        if (!Files.isDirectory(old)) {
            return new Result(0, 0);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(old)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList();
        }
        long imported = 0;
        long refused = 0;
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        boolean full = false;
        for (Path f : files) {
            if (full) {
                break;
            }
            Digest d = Digest.parse(Digest.PREFIX + f.getFileName());
            pending.add(new Pending(f, store.putFrameAsync(d, Files.readAllBytes(f), PinSet.NONE)));
            while (pending.size() >= WINDOW || !pending.isEmpty() && pending.peek().put().isDone()) {
                int outcome = settle(pending.poll());
                imported += outcome == 1 ? 1 : 0;
                refused += outcome == 0 ? 1 : 0;
                full |= outcome < 0;
            }
        }
        while (!pending.isEmpty()) {
            int outcome = settle(pending.poll());
            imported += outcome == 1 ? 1 : 0;
            refused += outcome == 0 ? 1 : 0;
            full |= outcome < 0;
        }
        if (full) {
            LOG.warning("chunk store " + root + ": imported " + imported + " chunks of the old file-per-chunk layout, then the store was"
                    + " full; the rest stay in " + old + " and are imported at the next open");
        } else {
            deleteTree(old);
            if (imported + refused > 0) {
                LOG.info("chunk store " + root + ": imported " + imported + " chunks of the old file-per-chunk layout into segments"
                        + (refused > 0 ? "; " + refused + " failed their digest check and were dropped" : ""));
            }
        }
        return new Result(imported, refused);
    }

    /** 1 imported, 0 refused as corrupt, -1 the store is full (the file stays). */
    private static int settle(Pending p) throws IOException {
        try {
            p.put().join();
            Files.deleteIfExists(p.file());
            return 1;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ChunkCorruptException) {
                Files.deleteIfExists(p.file());
                return 0;
            }
            if (e.getCause() instanceof StoreFullException) {
                return -1;
            }
            throw new ChunkStoreException("import " + p.file() + " into segments: " + e.getCause(), e.getCause());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
