package dev.chunkmesh.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreFullException;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import dev.chunkmesh.store.TinyFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a real, tiny file system (a 2 MiB tmpfs) that runs out of space. */
class DiskFullTest {

    @TempDir
    Path dir;
    private TinyFileSystem tiny;
    private Path mount;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        tiny = TinyFileSystem.mount(dir.resolve("tiny"), "2m");
        mount = tiny.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (tiny != null) {
            tiny.close();
        }
    }

    @Test
    void aFullDeviceWithEveryChunkPinnedGivesAClearErrorAndLeavesNothingHalfWritten() throws IOException {
        Path root = mount.resolve("store");
        List<Digest> stored = new ArrayList<>();
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.unlimited(), true));
             PinSet inFlight = store.openPinSet()) {
            StoreFullException full = assertThrows(StoreFullException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    stored.add(store.put(TestData.splitMix(i, 100_000), inFlight));
                }
            });
            assertTrue(full.getMessage().contains("the device has room for"), full.getMessage());
            assertTrue(stored.size() > 5, "some chunks fit before the device filled: " + stored.size());
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
    void aDeviceThatFillsBelowTheCapacityMakesTheStoreEvictAndKeepStoring() throws IOException {
        Path root = mount.resolve("store");
        long configured = 1L << 40;
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.ofCapacity(configured), true))) {
            for (int i = 0; i < 100; i++) {
                store.put(TestData.splitMix(i, 100_000));
            }
            assertTrue(store.stats().evictions() > 70, "evicted: " + store.stats().evictions());
            assertTrue(store.stats().capacityBytes() < 2 * 1024 * 1024, "capacity now follows the device: "
                    + store.stats().capacityBytes());
            for (int i = 90; i < 100; i++) {
                assertArrayEquals(TestData.splitMix(i, 100_000), store.get(Digest.sha256(TestData.splitMix(i, 100_000))),
                        "the newest chunks are held whole");
            }
            long held = store.stats().chunks();
            store.close();
            try (DiskChunkStore reopened = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.ofCapacity(configured), true))) {
                assertEquals(held, reopened.stats().chunks(), "every visible chunk file is a whole chunk");
                assertEquals(configured, reopened.stats().capacityBytes(), "a reopened store starts from the configured capacity");
            }
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
