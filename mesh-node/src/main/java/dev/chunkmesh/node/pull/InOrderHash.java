package dev.chunkmesh.node.pull;

import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A blob's SHA-256, computed once and in order while its chunks arrive in any order, on a worker, as soon
 * as every chunk before one is stored, so hashing overlaps the fetch instead of following it. A chunk
 * handed in with its checked raw bytes is hashed from them (kept until its turn: at most the fetch
 * windows' worth); one without is read back from the store. Thread-safe.
 */
final class InOrderHash {
    private final Recipe recipe;
    private final ChunkStore store;
    private final Executor worker;
    private final MessageDigest sha;
    private final BitSet ready = new BitSet();
    private final Map<Integer, ByteBuffer> raws = new HashMap<>();
    private final CompletableFuture<Digest> result = new CompletableFuture<>();
    private int next;
    private boolean running;

    InOrderHash(Recipe recipe, ChunkStore store, Executor worker) {
        this.recipe = recipe;
        this.store = store;
        this.worker = worker;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (recipe.chunks().isEmpty()) {
            result.complete(Digest.ofBytes(sha.digest()));
        }
    }

    /** Chunk {@code index} is in the store (and pinned there until the pull ends). */
    void stored(int index) {
        stored(index, null);
    }

    /** Chunk {@code index} is in the store, and {@code raw} are its bytes, checked against its digest. */
    void stored(int index, ByteBuffer raw) {
        synchronized (this) {
            if (ready.get(index) || index < next) {
                return;
            }
            ready.set(index);
            if (raw != null) {
                raws.put(index, raw);
            }
            if (running || !ready.get(next) || result.isDone()) {
                return;
            }
            running = true;
        }
        worker.execute(this::drain);
    }

    /** The digest of the chunks in recipe order, once every chunk was stored; a failed read fails it. */
    CompletableFuture<Digest> result() {
        return result;
    }

    private void drain() {
        while (true) {
            int i;
            ByteBuffer kept;
            synchronized (this) {
                if (next >= recipe.chunks().size() || !ready.get(next)) {
                    running = false;
                    return;
                }
                i = next;
                kept = raws.remove(i);
            }
            try {
                ByteBuffer raw = kept != null ? kept.duplicate() : store.getBuffer(recipe.chunks().get(i).digest());
                sha.update(raw);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                synchronized (this) {
                    running = false;
                }
                return;
            }
            synchronized (this) {
                next = i + 1;
                if (next == recipe.chunks().size()) {
                    running = false;
                    result.complete(Digest.ofBytes(sha.digest()));
                    return;
                }
            }
        }
    }
}
