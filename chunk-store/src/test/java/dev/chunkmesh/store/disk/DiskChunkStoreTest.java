package dev.chunkmesh.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ChunkStoreContract;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskChunkStoreTest extends ChunkStoreContract {

    @TempDir
    Path dir;
    private int stores;

    @Override
    protected ChunkStore newStore(StoreLimits limits) {
        return DiskChunkStore.open(new DiskStoreConfig(dir.resolve("store" + stores++), limits, true));
    }

    private DiskChunkStore openAt(Path root) {
        return DiskChunkStore.open(DiskStoreConfig.of(root, Long.MAX_VALUE));
    }

    @Test
    void laysChunksOutInFanOutFolders() {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.splitMix(1, 1000));
            String hex = d.hex();
            Path expected = dir.resolve("s/chunks").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
            assertEquals(expected, store.pathOf(d));
            assertTrue(Files.isRegularFile(expected));
        }
    }

    @Test
    void rebuildsItsIndexWhenReopened() {
        Path root = dir.resolve("s");
        List<Digest> ds = new ArrayList<>();
        long used;
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 30; i++) {
                ds.add(store.put(TestData.splitMix(10 + i, 2000 + i)));
            }
            used = store.stats().usedBytes();
        }
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(30, store.openReport().chunks());
            assertEquals(30, store.stats().chunks());
            assertEquals(used, store.stats().usedBytes());
            for (int i = 0; i < 30; i++) {
                assertArrayEquals(TestData.splitMix(10 + i, 2000 + i), store.get(ds.get(i)));
            }
        }
    }

    @Test
    void sweepsHalfWrittenTempFilesOnOpen() throws IOException {
        Path root = dir.resolve("s");
        openAt(root).close();
        Files.write(root.resolve("tmp/" + "ab".repeat(32) + ".123.1"), new byte[] {1, 2, 3});
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(1, store.openReport().tempFilesSwept());
            assertEquals(0, store.stats().chunks());
            try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
                assertEquals(0, left.count());
            }
        }
    }

    @Test
    void ignoresFilesThatAreNotNamedLikeChunks() throws IOException {
        Path root = dir.resolve("s");
        openAt(root).close();
        Files.createDirectories(root.resolve("chunks/ab/cd"));
        Files.write(root.resolve("chunks/ab/cd/notes.txt"), new byte[] {1});
        Files.write(root.resolve("chunks/ab/cd/" + "ef".repeat(32)), new byte[] {1});
        Files.delete(root.resolve(IndexSnapshot.FILE));
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(2, store.openReport().strayFiles());
            assertEquals(0, store.stats().chunks());
        }
    }

    @Test
    void aCorruptChunkFileIsNamedMovedAsideAndNeverServed() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            byte[] raw = TestData.splitMix(2, 50_000);
            Digest d = store.put(raw);
            Path file = store.pathOf(d);
            byte[] frame = Files.readAllBytes(file);
            frame[frame.length / 2] ^= 0x01;
            Files.write(file, frame);

            ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> store.get(d));
            assertEquals(d, e.expected());
            assertTrue(e.getMessage().contains(d.toString()), e.getMessage());
            assertFalse(store.has(d));
            assertFalse(Files.exists(file));
            try (Stream<Path> aside = Files.list(root.resolve("corrupt"))) {
                assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith(d.hex())).count());
            }
            assertEquals(1, store.stats().corruptFound());
            assertThrows(ChunkStoreException.class, () -> store.getFrame(d));

            store.put(raw);
            assertArrayEquals(raw, store.get(d), "a good copy can replace the corrupt one");
        }
    }

    @Test
    void aTruncatedChunkFileIsCorruptNotServed() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.compressible(3, 40_000));
            Path file = store.pathOf(d);
            byte[] frame = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(frame, frame.length - 10));
            assertThrows(ChunkCorruptException.class, () -> store.getFrame(d));
            assertFalse(store.has(d));
        }
    }

    @Test
    void aChunkFileDeletedBehindItsBackIsReportedMissing() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.splitMix(4, 1000));
            Files.delete(store.pathOf(d));
            assertThrows(dev.chunkmesh.store.ChunkMissingException.class, () -> store.get(d));
            assertFalse(store.has(d));
        }
    }

    @Test
    void refusesASecondOpenOfTheSameDirectory() {
        Path root = dir.resolve("s");
        try (DiskChunkStore first = openAt(root)) {
            ChunkStoreException e = assertThrows(ChunkStoreException.class, () -> openAt(root));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        openAt(root).close();
    }

    @Test
    void evictsOnOpenWhenTheCapacityWasLowered() {
        Path root = dir.resolve("s");
        long used;
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 20; i++) {
                store.put(TestData.splitMix(100 + i, 10_000));
            }
            used = store.stats().usedBytes();
        }
        try (DiskChunkStore store = DiskChunkStore.open(DiskStoreConfig.of(root, used / 2))) {
            assertTrue(store.stats().usedBytes() <= used / 2 * 0.8 + 1, "used " + store.stats().usedBytes());
            assertTrue(store.stats().evictions() > 0);
        }
    }

    @Test
    void aCleanCloseLetsTheNextOpenSkipTheScanAndKeepsRecency() throws IOException {
        Path root = dir.resolve("s");
        long frame;
        List<Digest> ds = new ArrayList<>();
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 10; i++) {
                ds.add(store.put(TestData.splitMix(300 + i, 10_000)));
            }
            frame = store.stats().usedBytes() / 10;
            store.get(ds.get(0));
        }
        assertTrue(Files.exists(root.resolve(IndexSnapshot.FILE)));
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, new StoreLimits(frame * 10, 1.0, 0.5), true))) {
            assertTrue(store.openReport().fromSnapshot());
            assertEquals(10, store.stats().chunks());
            assertFalse(Files.exists(root.resolve(IndexSnapshot.FILE)), "the snapshot is consumed at open");
            store.put(TestData.splitMix(400, 10_000));
            assertTrue(store.has(ds.get(0)), "the chunk read last before the restart is still the most recent");
            assertFalse(store.has(ds.get(1)), "the least recently used chunk went first");
        }
    }

    @Test
    void aDamagedSnapshotFallsBackToAFullScan() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 5; i++) {
                store.put(TestData.splitMix(500 + i, 3000));
            }
        }
        Path snapshot = root.resolve(IndexSnapshot.FILE);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[20] ^= 0x40;
        Files.write(snapshot, bytes);
        try (DiskChunkStore store = openAt(root)) {
            assertFalse(store.openReport().fromSnapshot());
            assertEquals(5, store.stats().chunks());
        }
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, 30));
        try (DiskChunkStore store = openAt(root)) {
            assertFalse(store.openReport().fromSnapshot());
            assertEquals(5, store.stats().chunks());
        }
    }

    @Test
    void aChunkGoneWhileStoppedIsReportedMissingNotServed() throws IOException {
        Path root = dir.resolve("s");
        Digest d;
        try (DiskChunkStore store = openAt(root)) {
            d = store.put(TestData.splitMix(600, 3000));
        }
        Files.delete(new FanOut(root.resolve("chunks")).pathOf(d));
        try (DiskChunkStore store = openAt(root)) {
            assertTrue(store.openReport().fromSnapshot());
            assertThrows(dev.chunkmesh.store.ChunkMissingException.class, () -> store.get(d));
            assertFalse(store.has(d));
        }
    }
}
