package dev.chunkmesh.node.pull;

import dev.chunkmesh.store.ChunkRef;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Stores chunks of a stream on several threads while reporting them stored strictly in stream order:
 * at most {@code window} puts run at once, and {@code onStored} runs in the caller's thread, for each
 * chunk in order, once its put is done. Not thread-safe: one stream, one caller.
 */
final class OrderedPuts {
    private record Pending(ChunkRef ref, byte[] raw, Future<?> put) {}

    private final ExecutorService writers;
    private final int window;
    private final BiConsumer<ChunkRef, byte[]> onStored;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    OrderedPuts(ExecutorService writers, int window, BiConsumer<ChunkRef, byte[]> onStored) {
        this.writers = writers;
        this.window = window;
        this.onStored = onStored;
    }

    /** Starts {@code put} for chunk {@code ref}; may first wait for the oldest put if the window is full. */
    void submit(ChunkRef ref, byte[] raw, Runnable put) throws Exception {
        pending.add(new Pending(ref, raw, writers.submit(put)));
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
        try {
            p.put().get();
        } catch (ExecutionException e) {
            pending.forEach(q -> q.put().cancel(false));
            pending.clear();
            throw e.getCause() instanceof Exception c ? c : e;
        }
        onStored.accept(p.ref(), p.raw());
    }
}
