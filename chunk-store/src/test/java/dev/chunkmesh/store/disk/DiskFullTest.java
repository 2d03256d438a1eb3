package dev.chunkmesh.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreFullException;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a real, tiny file system (a 2 MiB tmpfs) that runs out of space. Needs permission to
 * mount, as root has in CI; skipped with a message elsewhere.
 */
class DiskFullTest {

    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        mount = dir.resolve("tiny");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDeviceGivesAClearErrorAndLeavesNothingHalfWritten() throws IOException {
        Path root = mount.resolve("store");
        List<Digest> stored = new ArrayList<>();
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.unlimited(), true))) {
            StoreFullException full = assertThrows(StoreFullException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    stored.add(store.put(TestData.splitMix(i, 100_000)));
                }
            });
            assertTrue(full.getMessage().contains("no space left"), full.getMessage());
            assertTrue(stored.size() > 5, "some chunks fit before the device filled: " + stored.size());
            try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
                assertEquals(0, tmp.count(), "no temp file left behind");
            }
            for (int i = 0; i < stored.size(); i++) {
                assertArrayEquals(TestData.splitMix(i, 100_000), store.get(stored.get(i)));
            }
            assertFalse(store.has(Digest.sha256(TestData.splitMix(stored.size(), 100_000))));
            assertEquals(stored.size(), store.stats().chunks());
        }
        try (DiskChunkStore reopened = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.unlimited(), true))) {
            assertEquals(stored.size(), reopened.stats().chunks(), "every visible chunk file is a whole chunk");
        }
    }

    @Test
    void aCapacityBelowTheDeviceSizeKeepsTheStoreWritableByEvicting() throws IOException {
        Path root = mount.resolve("store");
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.ofCapacity(1_500_000), true))) {
            for (int i = 0; i < 100; i++) {
                store.put(TestData.splitMix(i, 100_000));
            }
            assertTrue(store.stats().evictions() > 80);
            assertTrue(store.has(Digest.sha256(TestData.splitMix(99, 100_000))));
        }
    }
}
