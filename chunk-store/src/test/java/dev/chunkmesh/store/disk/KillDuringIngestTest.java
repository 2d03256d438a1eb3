package dev.chunkmesh.store.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of ingest, at several moments: afterwards every chunk file the
 * store exposes decodes to bytes matching its digest, and the leftovers of the killed writes are swept.
 */
class KillDuringIngestTest {

    private static final int TRIALS = 4;

    @TempDir
    Path dir;

    @Test
    void noReadableChunkEverMismatchesItsDigestAfterKillMinus9() throws Exception {
        long corrupt = 0;
        long chunksChecked = 0;
        Path root = dir.resolve("store");
        for (int trial = 0; trial < TRIALS; trial++) {
            Process child = startIngest(root, trial);
            Thread.sleep(300 + 250L * trial);
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");

            List<Path> files = chunkFiles(root);
            assertTrue(!files.isEmpty(), "trial " + trial + ": the child wrote no chunk before it was killed");
            for (Path f : files) {
                Digest d = Digest.parse(Digest.PREFIX + f.getFileName());
                try {
                    ChunkFrame.decode(d, Files.readAllBytes(f));
                } catch (RuntimeException e) {
                    corrupt++;
                }
                chunksChecked++;
            }
            try (DiskChunkStore store = DiskChunkStore.open(DiskStoreConfig.of(root, Long.MAX_VALUE))) {
                assertFalse(store.openReport().fromSnapshot(), "a killed process leaves no index snapshot");
                assertEquals(files.size(), store.stats().chunks());
                List<Digest> held = new ArrayList<>();
                store.forEachHeld(held::add);
                for (Digest d : held) {
                    store.get(d);
                }
                try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
                    assertEquals(0, tmp.count());
                }
            }
        }
        System.out.printf("kill -9 during ingest: %d trials, %d chunk files checked, %d corrupt%n", TRIALS, chunksChecked, corrupt);
        assertEquals(0, corrupt);
    }

    private Process startIngest(Path root, int trial) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IngestUntilKilled.class.getName(), root.toString(), Long.toString(trial))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = out.readLine();
        assertEquals("ingesting", line, "child failed to start");
        return p;
    }

    private static List<Path> chunkFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("chunks"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
