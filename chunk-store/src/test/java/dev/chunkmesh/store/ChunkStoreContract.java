package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkStore} must do. A subclass supplies a fresh store with the given limits;
 * every test here runs against it.
 */
public abstract class ChunkStoreContract {

    private final List<ChunkStore> opened = new ArrayList<>();

    /** A new, empty store with these limits. */
    protected abstract ChunkStore newStore(StoreLimits limits) throws Exception;

    protected final ChunkStore open(StoreLimits limits) throws Exception {
        ChunkStore s = newStore(limits);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ChunkStore::close);
    }

    private static byte[] chunk(int seed, int size) {
        return TestData.splitMix(seed, size);
    }

    /** The frame size the store will account for a chunk. */
    private static long frameSize(byte[] raw) {
        return ChunkFrame.encode(raw).length;
    }

    @Test
    void returnsTheBytesThatWerePut() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        byte[] raw = chunk(1, 70_000);
        Digest d = store.put(raw);
        assertEquals(Digest.sha256(raw), d);
        assertTrue(store.has(d));
        assertArrayEquals(raw, store.get(d));
        assertArrayEquals(raw, ChunkFrame.decode(d, store.getFrame(d)));
    }

    @Test
    void servesAFrameAsABufferWithTheBytesOfGetFrame() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        for (byte[] raw : List.of(chunk(9, 70_000), TestData.compressible(9, 70_000))) {
            Digest d = store.put(raw);
            ByteBuffer view = store.getFrameBuffer(d);
            assertTrue(view.isReadOnly(), "a caller cannot write into the store through it");
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            assertArrayEquals(store.getFrame(d), bytes);
            assertArrayEquals(raw, ChunkFrame.decode(d, bytes));
        }
        assertThrows(ChunkMissingException.class, () -> store.getFrameBuffer(Digest.sha256(new byte[] {1})));
    }

    @Test
    void aBufferGivenToDecodeIntoEndsUpHoldingTheRawBytesOrIsNotAskedFor() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        for (byte[] raw : List.of(TestData.compressible(31, 90_000), chunk(32, 70_000))) {
            Digest d = store.put(raw);
            List<ByteBuffer> given = new ArrayList<>();
            ByteBuffer got = store.getBuffer(d, n -> {
                given.add(ByteBuffer.allocateDirect(n + 1000));
                return given.get(given.size() - 1);
            });
            byte[] bytes = new byte[got.remaining()];
            got.duplicate().get(bytes);
            assertArrayEquals(raw, bytes);
            assertTrue(given.size() <= 1, "asked for a buffer once at most");
            if (!given.isEmpty()) {
                assertTrue(given.get(0) == got, "the result is the buffer given, limited to the raw bytes");
            }
            assertThrows(ChunkMissingException.class, () -> store.getBuffer(Digest.sha256(new byte[] {2}), ByteBuffer::allocateDirect));
        }
    }

    @Test
    void keepsCompressibleChunksExact() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        byte[] raw = TestData.compressible(2, 100_000);
        Digest d = store.put(raw);
        assertArrayEquals(raw, store.get(d));
        assertTrue(store.stats().usedBytes() < raw.length, "compressible chunk should be stored compressed");
    }

    @Test
    void aFrameKeptWithItsRawBytesHandsBackTheCheckedBytesAndRefusesAWrongOne() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        for (byte[] raw : List.of(TestData.compressible(21, 90_000), chunk(22, 70_000))) {
            Digest d = Digest.sha256(raw);
            ByteBuffer back = store.putFrameKeepingRawAsync(d, ChunkFrame.encode(raw), PinSet.NONE).join();
            byte[] got = new byte[back.remaining()];
            back.duplicate().get(got);
            assertArrayEquals(raw, got);
            assertArrayEquals(raw, store.get(d));
        }
        byte[] other = chunk(23, 5000);
        Digest claimed = Digest.sha256(chunk(24, 5000));
        CompletionException e = assertThrows(CompletionException.class,
                () -> store.putFrameKeepingRawAsync(claimed, ChunkFrame.encode(other), PinSet.NONE).join());
        assertTrue(e.getCause() instanceof ChunkCorruptException);
        assertFalse(store.has(claimed));
    }

    @Test
    void reportsAMissingChunkByItsDigest() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        Digest d = Digest.sha256(chunk(3, 10));
        assertFalse(store.has(d));
        ChunkMissingException e = assertThrows(ChunkMissingException.class, () -> store.get(d));
        assertEquals(d, e.digest());
    }

    @Test
    void verifiesAHeldChunkAndReportsAMissingOneAsNotHeld() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        Digest held = store.put(chunk(31, 40_000));
        assertTrue(store.verify(held));
        assertTrue(store.has(held), "verifying keeps a good chunk");
        assertFalse(store.verify(Digest.sha256(chunk(32, 10))));
    }

    @Test
    void storingTheSameChunkTwiceKeepsOneCopy() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        byte[] raw = chunk(4, 5000);
        store.put(raw);
        store.put(raw);
        assertEquals(1, store.stats().chunks());
        assertEquals(frameSize(raw), store.stats().usedBytes());
    }

    @Test
    void refusesBytesThatDoNotMatchTheirAnnouncedDigest() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        byte[] raw = chunk(5, 5000);
        Digest claimed = Digest.sha256(chunk(6, 5000));
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> store.put(claimed, raw, PinSet.NONE));
        assertEquals(claimed, e.expected());
        assertEquals(Digest.sha256(raw), e.actual().orElseThrow());
        assertFalse(store.has(claimed));
        assertEquals(0, store.stats().chunks());
    }

    @Test
    void deleteRemovesTheChunk() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        Digest d = store.put(chunk(7, 5000));
        assertTrue(store.delete(d));
        assertFalse(store.has(d));
        assertFalse(store.delete(d));
        assertThrows(ChunkMissingException.class, () -> store.get(d));
        assertEquals(0, store.stats().usedBytes());
    }

    @Test
    void listsEveryChunkHeld() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        Set<Digest> put = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            put.add(store.put(chunk(100 + i, 1000 + i)));
        }
        Set<Digest> listed = new HashSet<>();
        store.forEachHeld(listed::add);
        assertEquals(put, listed);
    }

    @Test
    void evictsLeastRecentlyUsedChunksDownToTheLowWatermark() throws Exception {
        int size = 10_000;
        long frame = frameSize(chunk(0, size));
        ChunkStore store = open(new StoreLimits(frame * 10, 0.9, 0.5));
        List<Digest> ds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ds.add(store.put(chunk(200 + i, size)));
        }
        store.get(ds.get(0));
        assertEquals(9, store.stats().chunks());
        Digest tenth = store.put(chunk(300, size));
        // 10 frames would pass the high watermark (9), so eviction brings 9 + the new one down to 5.
        assertEquals(5, store.stats().chunks());
        assertEquals(5, store.stats().evictions());
        assertTrue(store.has(tenth));
        assertTrue(store.has(ds.get(0)), "recently read chunk survives");
        for (int i = 1; i <= 5; i++) {
            assertFalse(store.has(ds.get(i)), "oldest chunk " + i + " evicted");
        }
        for (int i = 6; i < 9; i++) {
            assertTrue(store.has(ds.get(i)));
        }
    }

    @Test
    void neverEvictsChunksPinnedByAnInFlightBlob() throws Exception {
        int size = 10_000;
        long frame = frameSize(chunk(0, size));
        ChunkStore store = open(new StoreLimits(frame * 10, 0.9, 0.5));
        List<Digest> pinned = new ArrayList<>();
        try (PinSet pins = store.openPinSet()) {
            for (int i = 0; i < 6; i++) {
                pinned.add(store.put(chunk(400 + i, size), pins));
            }
            for (int i = 0; i < 20; i++) {
                store.put(chunk(500 + i, size));
            }
            for (Digest d : pinned) {
                assertTrue(store.has(d), "pinned chunk evicted");
            }
            assertEquals(6, store.stats().pinned());
        }
        assertEquals(0, store.stats().pinned());
        for (int i = 0; i < 20; i++) {
            store.put(chunk(600 + i, size));
        }
        assertFalse(pinned.stream().allMatch(store::has), "unpinned chunks become evictable again");
    }

    @Test
    void refusesAPutWhenEverythingIsPinnedAndTheStoreIsFull() throws Exception {
        int size = 10_000;
        long frame = frameSize(chunk(0, size));
        ChunkStore store = open(new StoreLimits(frame * 4, 0.9, 0.5));
        try (PinSet pins = store.openPinSet()) {
            for (int i = 0; i < 4; i++) {
                store.put(chunk(700 + i, size), pins);
            }
            byte[] extra = chunk(800, size);
            StoreFullException e = assertThrows(StoreFullException.class, () -> store.put(extra));
            assertTrue(e.getMessage().contains(Digest.sha256(extra).toString()), e.getMessage());
            assertFalse(store.has(Digest.sha256(extra)));
            assertEquals(4 * frame, store.stats().usedBytes());
        }
    }

    @Test
    void pinningAChunkBeforeItArrivesProtectsIt() throws Exception {
        int size = 10_000;
        long frame = frameSize(chunk(0, size));
        ChunkStore store = open(new StoreLimits(frame * 4, 0.9, 0.25));
        byte[] raw = chunk(900, size);
        try (PinSet pins = store.openPinSet()) {
            pins.pin(Digest.sha256(raw));
            store.put(raw);
            for (int i = 0; i < 10; i++) {
                store.put(chunk(901 + i, size));
            }
            assertTrue(store.has(Digest.sha256(raw)));
        }
    }

    @Test
    void concurrentPutsOfManyChunksAllLand() throws Exception {
        ChunkStore store = open(StoreLimits.unlimited());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Digest>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] raw = chunk(1000 + (i % 100), 3000);
                fs.add(pool.submit(() -> store.put(raw)));
            }
            Set<Digest> ds = new HashSet<>();
            for (Future<Digest> f : fs) {
                ds.add(f.get());
            }
            assertEquals(100, ds.size());
            assertEquals(100, store.stats().chunks());
            for (Digest d : ds) {
                assertEquals(d, Digest.sha256(store.get(d)));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
