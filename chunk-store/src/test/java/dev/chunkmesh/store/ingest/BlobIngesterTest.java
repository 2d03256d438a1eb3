package dev.chunkmesh.store.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ForwardingChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.StoreFullException;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.FastCdc;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlobIngesterTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void returnsARecipeThatReassemblesTheBlob() throws IOException {
        InMemoryChunkStore store = new InMemoryChunkStore();
        byte[] blob = TestData.splitMix(1, 3_000_001);
        Recipe recipe = new BlobIngester(store, ChunkerParams.DEFAULTS, workers, 4).ingest(new ByteArrayInputStream(blob));
        assertEquals(Digest.sha256(blob), recipe.blob());
        assertEquals(blob.length, recipe.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChunkRef c : recipe.chunks()) {
            out.write(store.get(c.digest()));
        }
        assertArrayEquals(blob, out.toByteArray());
    }

    @Test
    void cutsWhereTheChunkerCuts() throws IOException {
        byte[] blob = TestData.compressible(2, 1_000_000);
        ChunkerParams p = new ChunkerParams(4096, 16384, 65536, 2);
        Recipe recipe = new BlobIngester(new InMemoryChunkStore(), p, workers, 4).ingest(new ByteArrayInputStream(blob));
        FastCdc cdc = new FastCdc(p);
        int pos = 0;
        for (ChunkRef c : recipe.chunks()) {
            assertEquals(pos, c.offset());
            assertEquals(cdc.cut(blob, pos, blob.length - pos).length(), c.length());
            assertEquals(Digest.sha256(blob, pos, c.length()), c.digest());
            pos += c.length();
        }
        assertEquals(blob.length, pos);
    }

    @Test
    void anEmptyBlobHasAnEmptyRecipe() throws IOException {
        Recipe r = new BlobIngester(new InMemoryChunkStore(), ChunkerParams.DEFAULTS, workers, 4)
                .ingest(new ByteArrayInputStream(new byte[0]));
        assertEquals(0, r.size());
        assertEquals(0, r.chunks().size());
        assertEquals(Digest.sha256(new byte[0]), r.blob());
    }

    @Test
    void aSecondIngestOfTheSameBlobStoresNothingNew() throws IOException {
        InMemoryChunkStore store = new InMemoryChunkStore();
        byte[] blob = TestData.splitMix(3, 2_000_000);
        BlobIngester ingester = new BlobIngester(store, ChunkerParams.DEFAULTS, workers, 4);
        ingester.ingest(new ByteArrayInputStream(blob));
        long chunks = store.stats().chunks();
        long used = store.stats().usedBytes();
        ingester.ingest(new ByteArrayInputStream(blob));
        assertEquals(chunks, store.stats().chunks());
        assertEquals(used, store.stats().usedBytes());
    }

    @Test
    void pinsEveryChunkOfTheBlobInTheCallersSet() throws IOException {
        InMemoryChunkStore store = new InMemoryChunkStore();
        try (PinSet pins = store.openPinSet()) {
            Recipe r = new BlobIngester(store, ChunkerParams.DEFAULTS, workers, 4)
                    .ingest(new ByteArrayInputStream(TestData.splitMix(4, 1_500_000)), pins, n -> { });
            assertEquals(r.chunks().size(), pins.size());
        }
        assertEquals(0, store.stats().pinned());
    }

    @Test
    void reportsProgressUpToTheWholeSize() throws IOException {
        AtomicLong last = new AtomicLong();
        byte[] blob = TestData.splitMix(5, 1_234_567);
        try (PinSet pins = PinSet.NONE) {
            new BlobIngester(new InMemoryChunkStore(), ChunkerParams.DEFAULTS, workers, 4)
                    .ingest(new ByteArrayInputStream(blob), pins, last::set);
        }
        assertEquals(blob.length, last.get());
    }

    @Test
    void refusesABlobWhoseDigestIsNotTheExpectedOne() {
        byte[] blob = TestData.splitMix(6, 100_000);
        Digest wrong = Digest.sha256(new byte[] {1});
        BlobDigestMismatchException e = assertThrows(BlobDigestMismatchException.class,
                () -> new BlobIngester(new InMemoryChunkStore(), ChunkerParams.DEFAULTS, workers, 4)
                        .ingestExpecting(wrong, new ByteArrayInputStream(blob), PinSet.NONE, n -> { }));
        assertEquals(Digest.sha256(blob), e.actual());
    }

    @Test
    void stopsReadingWhenTheStoreIsFull() {
        InMemoryChunkStore store = new InMemoryChunkStore(StoreLimits.ofCapacity(500_000));
        AtomicInteger reads = new AtomicInteger();
        byte[] blob = TestData.splitMix(7, 50_000_000);
        ByteArrayInputStream in = new ByteArrayInputStream(blob) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads.incrementAndGet();
                return super.read(b, off, len);
            }
        };
        try (PinSet pins = store.openPinSet()) {
            assertThrows(StoreFullException.class, () -> new BlobIngester(store, ChunkerParams.DEFAULTS, workers, 4)
                    .ingest(in, pins, n -> { }));
        }
        assertTrue(in.available() > 40_000_000, "ingest went on reading after the store filled: " + in.available() + " left");
    }

    @Test
    void keepsAtMostMaxInFlightChunksInMemory() throws IOException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ChunkStore store = new ForwardingChunkStore(new InMemoryChunkStore()) {
            @Override
            public CompletableFuture<Digest> putAsync(byte[] raw, PinSet pins) {
                int now = inFlight.incrementAndGet();
                peak.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(2);
                    return super.putAsync(raw, pins);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        ExecutorService wide = Executors.newFixedThreadPool(8);
        try {
            new BlobIngester(store, new ChunkerParams(1024, 4096, 16384, 2), wide, 3)
                    .ingest(new ByteArrayInputStream(TestData.splitMix(8, 2_000_000)));
        } finally {
            wide.shutdownNow();
        }
        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertTrue(peak.get() >= 2, "work ran in parallel: peak " + peak.get());
    }
}
