package dev.chunkmesh.store.ingest;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.StreamChunker;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Streams a blob through the chunker into a store and returns its recipe.
 *
 * <p>The calling thread reads, finds cut points and copies each chunk out; on {@code workers} run the
 * whole-blob SHA-256 (one chunk after another, in order) and, in parallel, each chunk's SHA-256 and
 * compression, before it is handed to the store, which commits many chunks to its device at once. At most
 * {@code maxInFlight} chunks are being hashed, and at most {@value #UNCOMMITTED_BYTES} bytes wait for the
 * store, so memory stays bounded whatever the blob's size. Every chunk of the blob is pinned in the caller's {@link PinSet} as it is stored.
 */
public final class BlobIngester {

    /** Bytes of chunks handed to the store and not yet committed, at most: enough for the store to commit in large groups. */
    static final int UNCOMMITTED_BYTES = 32 << 20;

    /** Where chunks go: a store, or nowhere when only the recipe is wanted. */
    private interface Sink {
        CompletableFuture<Digest> put(byte[] raw, PinSet pins);

        PinSet openPinSet();
    }

    private final Sink store;
    private final StreamChunker chunker;
    private final ExecutorService workers;
    private final int maxInFlight;

    public BlobIngester(ChunkStore store, ChunkerParams params, ExecutorService workers, int maxInFlight) {
        this(storeSink(Objects.requireNonNull(store, "store")), params, workers, maxInFlight);
    }

    /**
     * An ingester that stores nothing: it computes recipes (the chunks' digests), for a publisher that
     * describes blobs it does not keep.
     */
    public static BlobIngester recipesOnly(ChunkerParams params, ExecutorService workers, int maxInFlight) {
        return new BlobIngester(new Sink() {
            @Override
            public CompletableFuture<Digest> put(byte[] raw, PinSet pins) {
                return CompletableFuture.completedFuture(Digest.sha256(raw));
            }

            @Override
            public PinSet openPinSet() {
                return PinSet.NONE;
            }
        }, params, workers, maxInFlight);
    }

    private static Sink storeSink(ChunkStore store) {
        return new Sink() {
            @Override
            public CompletableFuture<Digest> put(byte[] raw, PinSet pins) {
                return store.putAsync(raw, pins);
            }

            @Override
            public PinSet openPinSet() {
                return store.openPinSet();
            }
        };
    }

    private BlobIngester(Sink store, ChunkerParams params, ExecutorService workers, int maxInFlight) {
        this.store = store;
        this.chunker = new StreamChunker(params);
        this.workers = Objects.requireNonNull(workers, "workers");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /** Ingests {@code in} without keeping its chunks pinned afterwards. */
    public Recipe ingest(InputStream in) throws IOException {
        try (PinSet pins = store.openPinSet()) {
            return ingest(in, pins, n -> { });
        }
    }

    /**
     * Reads {@code in} to its end, stores every chunk and returns the recipe. {@code progress} receives
     * the bytes read so far after each chunk.
     *
     * @throws ChunkStoreException if a chunk cannot be stored (then the rest of the stream is not read)
     */
    public Recipe ingest(InputStream in, PinSet pins, LongConsumer progress) throws IOException {
        MessageDigest blobHash = Digest.newSha256();
        Semaphore slots = new Semaphore(maxInFlight);
        Semaphore uncommitted = new Semaphore(UNCOMMITTED_BYTES);
        List<CompletableFuture<ChunkRef>> refs = new ArrayList<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> hashTail = new ArrayList<>(List.of(CompletableFuture.completedFuture(null)));
        long size;
        try {
            size = chunker.chunk(in, (offset, buf, start, length) -> {
                byte[] raw = new byte[length];
                System.arraycopy(buf, start, raw, 0, length);
                acquire(slots);
                acquire(uncommitted, length);
                RuntimeException failed = failure.get();
                if (failed != null) {
                    slots.release();
                    uncommitted.release(Math.min(length, UNCOMMITTED_BYTES));
                    throw failed;
                }
                CompletableFuture<Void> hashed = hashTail.get(0).thenRunAsync(() -> blobHash.update(raw), workers);
                hashTail.set(0, hashed);
                CompletableFuture<ChunkRef> stored = CompletableFuture.supplyAsync(() -> {
                    try {
                        return store.put(raw, pins);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        throw e;
                    } finally {
                        slots.release();
                    }
                }, workers).thenCompose(f -> f).handle((digest, error) -> {
                    uncommitted.release(Math.min(length, UNCOMMITTED_BYTES));
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        RuntimeException r = cause instanceof RuntimeException re ? re : new ChunkStoreException("store chunk: " + cause, cause);
                        failure.compareAndSet(null, r);
                        throw r;
                    }
                    return new ChunkRef(offset, length, digest);
                });
                CompletableFuture<ChunkRef> ref = stored.thenCombine(hashed, (chunk, done) -> chunk);
                refs.add(ref);
                progress.accept(offset + length);
            });
        } catch (IOException | RuntimeException e) {
            refs.forEach(f -> f.cancel(false));
            awaitQuietly(refs);
            throw e;
        }
        List<ChunkRef> chunks = new ArrayList<>(refs.size());
        for (CompletableFuture<ChunkRef> f : refs) {
            chunks.add(join(f));
        }
        hashTail.get(0).join();
        return new Recipe(Digest.ofBytes(blobHash.digest()), size, chunks);
    }

    /**
     * Ingests a blob that must have digest {@code expected}.
     *
     * @throws BlobDigestMismatchException if it does not; its chunks stay stored (they are valid chunks)
     */
    public Recipe ingestExpecting(Digest expected, InputStream in, PinSet pins, LongConsumer progress) throws IOException {
        Recipe recipe = ingest(in, pins, progress);
        if (!recipe.blob().equals(expected)) {
            throw new BlobDigestMismatchException(expected, recipe.blob());
        }
        return recipe;
    }

    private static void acquire(Semaphore slots) throws InterruptedIOException {
        acquire(slots, 1);
    }

    private static void acquire(Semaphore slots, int permits) throws InterruptedIOException {
        try {
            slots.acquire(Math.min(permits, UNCOMMITTED_BYTES));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while ingesting");
        }
    }

    private static ChunkRef join(CompletableFuture<ChunkRef> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ChunkStoreException("ingest failed: " + e.getCause(), e.getCause());
        }
    }

    private static void awaitQuietly(List<CompletableFuture<ChunkRef>> refs) {
        for (CompletableFuture<ChunkRef> f : refs) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // the first failure is what the caller sees
            }
        }
    }
}
