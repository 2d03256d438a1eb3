package dev.chunkmesh.store.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ChunkStoreContract;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static List<Path> segments(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("segments"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dat")).sorted().toList();
        }
    }

    @Test
    void appendsChunksAsRecordsToSegmentFilesWithTheFrameAsStored() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            List<Digest> ds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ds.add(store.put(TestData.splitMix(1 + i, 1000 + i)));
            }
            assertEquals(1, segments(dir.resolve("s")).size(), "small chunks share one segment, not a file each");
            for (Digest d : ds) {
                DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
                byte[] frame = new byte[at.length()];
                try (RandomAccessFile f = new RandomAccessFile(at.file().toFile(), "r")) {
                    f.seek(at.offset());
                    f.readFully(frame);
                }
                assertArrayEquals(store.getFrame(d), frame);
            }
        }
    }

    @Test
    void storesAFrameAsItTravelledWithoutCompressingItAgain() {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            byte[] raw = TestData.compressible(9, 60_000);
            byte[] frame = ChunkFrame.encode(raw);
            Digest d = Digest.sha256(raw);
            store.putFrame(d, frame, PinSet.NONE);
            assertArrayEquals(frame, store.getFrame(d));
            assertArrayEquals(raw, store.get(d));
            byte[] lying = frame.clone();
            lying[lying.length - 1] ^= 1;
            Digest other = Digest.sha256(TestData.splitMix(10, 100));
            assertThrows(ChunkCorruptException.class, () -> store.putFrame(other, frame, PinSet.NONE));
            assertFalse(store.has(other));
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
            assertTrue(store.openReport().fromSnapshot());
            assertEquals(0, store.openReport().tailBytesScanned(), "after a clean close nothing is scanned");
            assertEquals(used, store.stats().usedBytes());
            for (int i = 0; i < 30; i++) {
                assertArrayEquals(TestData.splitMix(10 + i, 2000 + i), store.get(ds.get(i)));
            }
        }
    }

    @Test
    void afterACrashOpenReadsTheLastCheckpointAndScansOnlyTheTailsWrittenSince() throws IOException {
        Path root = dir.resolve("s");
        Path crashed = dir.resolve("crashed");
        List<Digest> before = new ArrayList<>();
        List<Digest> after = new ArrayList<>();
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 10; i++) {
                before.add(store.put(TestData.splitMix(700 + i, 5000)));
            }
            store.checkpoint();
            for (int i = 0; i < 5; i++) {
                after.add(store.put(TestData.splitMix(800 + i, 5000)));
            }
            copyTree(root, crashed);
        }
        Path last = segments(crashed).get(segments(crashed).size() - 1);
        Files.write(last, new byte[] {'C', 'M', 'R', '1', 0, 0, 0x10}, StandardOpenOption.APPEND);
        try (DiskChunkStore store = openAt(crashed)) {
            assertTrue(store.openReport().fromSnapshot(), "the checkpoint was used");
            assertTrue(store.openReport().tailBytesScanned() > 0 && store.openReport().tailBytesScanned() < 10 * 5000,
                    "only the tail: " + store.openReport().tailBytesScanned());
            assertEquals(1, store.openReport().tornTailsCut(), "the half-written record is cut off");
            assertEquals(15, store.stats().chunks());
            for (Digest d : before) {
                assertEquals(d, Digest.sha256(store.get(d)));
            }
            for (Digest d : after) {
                assertEquals(d, Digest.sha256(store.get(d)));
            }
        }
    }

    @Test
    void ignoresFilesThatAreNotSegments() throws IOException {
        Path root = dir.resolve("s");
        openAt(root).close();
        Files.write(root.resolve("segments/notes.txt"), new byte[] {1});
        Files.delete(root.resolve(Checkpoint.FILE));
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(0, store.stats().chunks());
            assertTrue(Files.exists(root.resolve("segments/notes.txt")));
        }
    }

    @Test
    void aCorruptRecordIsNamedMovedAsideAndNeverServed() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            byte[] raw = TestData.splitMix(2, 50_000);
            Digest d = store.put(raw);
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() + at.length() / 2);

            ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> store.get(d));
            assertEquals(d, e.expected());
            assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("CRC32C"), e.getMessage());
            assertFalse(store.has(d));
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
    void verifyingACorruptRecordMovesItAsideAndSaysTheChunkIsNotHeld() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            byte[] raw = TestData.splitMix(4, 60_000);
            Digest d = store.put(raw);
            Digest good = store.put(TestData.compressible(5, 60_000));
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() + at.length() / 2);

            assertFalse(store.verify(d));
            assertFalse(store.has(d));
            assertEquals(1, store.stats().corruptFound());
            try (Stream<Path> aside = Files.list(root.resolve("corrupt"))) {
                assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith(d.hex())).count());
            }
            assertTrue(store.verify(good), "its neighbour is untouched");
            store.put(raw);
            assertTrue(store.verify(d), "a good copy put again verifies");
        }
    }

    @Test
    void aDamagedHeaderIsCorruptNotServed() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.compressible(3, 40_000));
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() - Record.HEADER + 5);
            assertThrows(ChunkCorruptException.class, () -> store.getFrame(d));
            assertFalse(store.has(d));
        }
    }

    @Test
    void withoutCompressionChunksItEncodesAreRawAndFramesFromPeersStayAsTheyCame() throws IOException {
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(dir.resolve("raw"), StoreLimits.unlimited(), true, false))) {
            byte[] text = TestData.compressible(5, 70_000);
            Digest d = store.put(text);
            assertEquals(0, store.getFrame(d)[1], "kept raw");
            assertArrayEquals(text, store.get(d));
            byte[] other = TestData.compressible(6, 70_000);
            byte[] zstd = ChunkFrame.encode(other);
            assertEquals(1, zstd[1], "a compressed frame");
            store.putFrame(Digest.sha256(other), zstd, PinSet.NONE);
            assertArrayEquals(zstd, store.getFrame(Digest.sha256(other)), "stored as it travelled");
            assertArrayEquals(other, store.get(Digest.sha256(other)));
        }
    }

    @Test
    void aDamagedFrameIsNotServedAsAView() throws IOException {
        try (DiskChunkStore store = openAt(dir.resolve("s"))) {
            Digest d = store.put(TestData.splitMix(4, 40_000));
            DiskChunkStore.FrameLocation at = store.locationOf(d).orElseThrow();
            flip(at.file(), at.offset() + 1000);
            assertThrows(ChunkCorruptException.class, () -> store.getFrameBuffer(d));
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
    void aCleanCloseKeepsTheOrderOfEvictionAcrossARestart() {
        Path root = dir.resolve("s");
        long frame;
        List<Digest> ds = new ArrayList<>();
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 10; i++) {
                ds.add(store.put(TestData.splitMix(300 + i, 10_000)));
            }
            frame = store.stats().usedBytes() / 10;
        }
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, new StoreLimits(frame * 10, 1.0, 0.5), true))) {
            assertTrue(store.openReport().fromSnapshot());
            assertEquals(10, store.stats().chunks());
            store.get(ds.get(1));
            store.put(TestData.splitMix(400, 10_000));
            assertFalse(store.has(ds.get(0)), "the oldest chunk went first");
            assertTrue(store.has(ds.get(1)), "a chunk read since the restart got a second chance");
            assertTrue(store.has(ds.get(9)));
        }
    }

    @Test
    void aDamagedCheckpointFallsBackToAFullScan() throws IOException {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = openAt(root)) {
            for (int i = 0; i < 5; i++) {
                store.put(TestData.splitMix(500 + i, 3000));
            }
        }
        Path checkpoint = root.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[20] ^= 0x40;
        Files.write(checkpoint, bytes);
        try (DiskChunkStore store = openAt(root)) {
            assertFalse(store.openReport().fromSnapshot());
            assertEquals(5, store.stats().chunks());
        }
        Files.write(checkpoint, Arrays.copyOf(bytes, 30));
        try (DiskChunkStore store = openAt(root)) {
            assertFalse(store.openReport().fromSnapshot());
            assertEquals(5, store.stats().chunks());
        }
    }

    @Test
    void chunksOfASegmentGoneWhileStoppedAreReportedMissingNotServed() throws IOException {
        Path root = dir.resolve("s");
        Digest d;
        try (DiskChunkStore store = openAt(root)) {
            d = store.put(TestData.splitMix(600, 3000));
        }
        for (Path p : segments(root)) {
            Files.delete(p);
        }
        try (DiskChunkStore store = openAt(root)) {
            assertTrue(store.openReport().fromSnapshot());
            assertThrows(ChunkMissingException.class, () -> store.get(d));
            assertFalse(store.has(d));
        }
    }

    @Test
    void importsAStoreInTheOldFilePerChunkLayoutCheckingEveryChunk() throws IOException {
        Path root = dir.resolve("old");
        List<byte[]> raws = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] raw = TestData.splitMix(900 + i, 4000 + i);
            raws.add(raw);
            String hex = Digest.sha256(raw).hex();
            Path file = root.resolve("chunks").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
            Files.createDirectories(file.getParent());
            byte[] frame = ChunkFrame.encode(raw);
            if (i == 5) {
                frame[frame.length - 1] ^= 1;
            }
            Files.write(file, frame);
        }
        Files.createDirectories(root.resolve("tmp"));
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(11, store.openReport().legacyImported());
            assertEquals(1, store.openReport().legacyRefused(), "the damaged chunk is not imported");
            for (int i = 0; i < raws.size(); i++) {
                assertEquals(i != 5, store.has(Digest.sha256(raws.get(i))));
            }
            assertArrayEquals(raws.get(0), store.get(Digest.sha256(raws.get(0))));
        }
        assertFalse(Files.exists(root.resolve("chunks")), "the old layout is gone once imported");
        assertFalse(Files.exists(root.resolve("tmp")));
        try (DiskChunkStore store = openAt(root)) {
            assertEquals(11, store.stats().chunks());
            assertEquals(0, store.openReport().legacyImported());
        }
    }

    @Test
    void compactionCopiesTheLiveChunksOutOfSparseSegmentsAndDeletesThem() throws Exception {
        Path root = dir.resolve("s");
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(root, StoreLimits.ofCapacity(8L << 20), true))) {
            List<Digest> ds = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ds.add(store.put(TestData.splitMix(1000 + i, 30_000)));
            }
            int before = segments(root).size();
            for (int i = 0; i < ds.size(); i++) {
                if (i % 5 != 0) {
                    store.delete(ds.get(i));
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (store.fileBytes() > 2 * store.stats().usedBytes() + (1 << 20) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(store.fileBytes() <= 2 * store.stats().usedBytes() + (1 << 20), "files " + store.fileBytes() + " for "
                    + store.stats().usedBytes() + " live bytes");
            assertTrue(segments(root).size() < before, segments(root).size() + " segments, were " + before);
            for (int i = 0; i < ds.size(); i += 5) {
                assertArrayEquals(TestData.splitMix(1000 + i, 30_000), store.get(ds.get(i)));
            }
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
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
