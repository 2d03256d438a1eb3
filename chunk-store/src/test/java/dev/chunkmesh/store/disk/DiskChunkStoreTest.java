package dev.chunkmesh.store.disk;

import static dev.chunkmesh.store.disk.DiskStoreFixture.openAt;
import static dev.chunkmesh.store.disk.DiskStoreFixture.segments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ChunkStoreContract;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk store passes the store contract, and lays chunks out as records appended to segment files. */
class DiskChunkStoreTest extends ChunkStoreContract {

    @TempDir
    Path dir;
    private int stores;

    @Override
    protected ChunkStore newStore(StoreLimits limits) {
        return DiskChunkStore.open(new DiskStoreConfig(dir.resolve("store" + stores++), limits, true));
    }

    @Test
    void decodesACompressedChunkIntoTheCallersBufferAndHandsARawOneOutAsAViewWithoutAskingForOne() {
        try (DiskChunkStore store = openAt(dir.resolve("d"))) {
            Digest text = store.put(TestData.compressible(41, 90_000));
            Digest random = store.put(TestData.splitMix(42, 70_000));
            int[] asked = {0};
            ByteBuffer decoded = store.getBuffer(text, n -> {
                asked[0]++;
                return ByteBuffer.allocateDirect(n);
            });
            assertEquals(1, asked[0], "a compressed chunk is decoded into the caller's buffer");
            assertEquals(90_000, decoded.remaining());
            store.getBuffer(random, n -> {
                asked[0]++;
                return ByteBuffer.allocateDirect(n);
            });
            assertEquals(1, asked[0], "a raw chunk needs no buffer of the caller's");
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
    void refusesASecondOpenOfTheSameDirectory() {
        Path root = dir.resolve("s");
        try (DiskChunkStore first = openAt(root)) {
            ChunkStoreException e = assertThrows(ChunkStoreException.class, () -> openAt(root));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        openAt(root).close();
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
}
