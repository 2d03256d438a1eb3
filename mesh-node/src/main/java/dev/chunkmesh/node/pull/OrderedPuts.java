package dev.chunkmesh.node.pull;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Stores chunks of a stream while reporting them stored strictly in stream order: each put starts on
 * {@code writers} (hashing and framing) and completes when the store has committed it, at most
 * {@code window} at once, so the store commits many together. {@code onStored} runs in the caller's
 * thread, for each chunk in order, once its put is done. Not thread-safe: one stream, one caller.
 */
final class OrderedPuts {
    private record Pending(long offset, int length, byte[] raw, CompletableFuture<Digest> put) {}

    private final ExecutorService writers;
    private final int window;
    private final BiConsumer<ChunkRef, byte[]> onStored;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    OrderedPuts(ExecutorService writers, int window, BiConsumer<ChunkRef, byte[]> onStored) {
        this.writers = writers;
        this.window = window;
        this.onStored = onStored;
    }

    /**
     * Starts {@code put} for the chunk at {@code offset}; its future gives the chunk's digest once it is
     * stored. May first wait for the oldest put if the window is full.
     */
    void submit(long offset, byte[] raw, Supplier<CompletableFuture<Digest>> put) throws Exception {
        pending.add(new Pending(offset, raw.length, raw, CompletableFuture.supplyAsync(put, writers).thenCompose(f -> f)));
        while (pending.size() > window) {
            completeOldest();
        }
        while (!pending.isEmpty() && pending.peek().put().isDone()) {
            completeOldest();
        }
    }

    /** Waits for every put, reporting each in order; the first failure is thrown. */
    void finish() throws Exception {
        while (!pending.isEmpty()) {
            completeOldest();
        }
    }

    private void completeOldest() throws Exception {
        Pending p = pending.poll();
        Digest digest;
        try {
            digest = p.put().join();
        } catch (CompletionException e) {
            pending.forEach(q -> q.put().cancel(false));
            pending.clear();
            throw e.getCause() instanceof Exception c ? c : e;
        }
        onStored.accept(new ChunkRef(p.offset(), p.length(), digest), p.raw());
    }
}
