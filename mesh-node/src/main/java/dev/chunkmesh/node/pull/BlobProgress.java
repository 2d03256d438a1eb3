package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.node.peer.RecipePrefix;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a node knows, moment by moment, of one blob it is pulling: the chunks of its recipe known so
 * far (the whole recipe, or a growing prefix while the blob is first chunked from the origin) and
 * which of them are stored. Readers wait on {@link #whenStored} to stream the blob out in order
 * while later chunks are still arriving. Thread-safe.
 */
public final class BlobProgress {

    private record Waiter(int index, CompletableFuture<Optional<ChunkRef>> future) {}

    private final Digest blob;
    private final List<ChunkRef> refs = new ArrayList<>();
    private final BitSet stored = new BitSet();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean complete;
    private long size = -1;
    private Throwable failure;

    public BlobProgress(Digest blob) {
        this.blob = blob;
    }

    public Digest blob() {
        return blob;
    }

    /** Appends a chunk found by chunking the stream, already stored. */
    synchronized void appendStored(ChunkRef ref) {
        long expected = refs.isEmpty() ? 0 : refs.get(refs.size() - 1).end();
        if (complete || ref.offset() != expected) {
            throw new IllegalStateException("chunk at " + ref.offset() + " does not extend " + blob + " (next offset " + expected + ")");
        }
        refs.add(ref);
        stored.set(refs.size() - 1);
        wake();
    }

    /** Fixes the whole recipe; a prefix known before must agree with it. */
    synchronized void setRecipe(Recipe recipe) {
        for (int i = 0; i < refs.size(); i++) {
            if (!refs.get(i).equals(recipe.chunks().get(i))) {
                throw new IllegalStateException("recipe of " + blob + " disagrees with the chunks streamed so far at chunk " + i);
            }
        }
        for (int i = refs.size(); i < recipe.chunks().size(); i++) {
            refs.add(recipe.chunks().get(i));
        }
        complete = true;
        size = recipe.size();
        wake();
    }

    synchronized void markStored(int index) {
        stored.set(index);
        wake();
    }

    synchronized void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        wake();
    }

    /** Which chunks of the complete recipe are stored. */
    public synchronized ChunkBitmap bitmap() {
        if (!complete) {
            throw new IllegalStateException("the recipe of " + blob + " is not complete yet");
        }
        return ChunkBitmap.of(refs.size(), stored);
    }

    /** How many chunks are stored. */
    public synchronized int storedCount() {
        return stored.cardinality();
    }

    /** Whether every chunk of a complete recipe is stored. */
    public synchronized boolean done() {
        return complete && stored.cardinality() == refs.size();
    }

    public synchronized boolean isStored(int index) {
        return stored.get(index);
    }

    /** Chunks stored so far, and bytes they hold. */
    public synchronized long storedBytes() {
        long n = 0;
        for (int i = stored.nextSetBit(0); i >= 0 && i < refs.size(); i = stored.nextSetBit(i + 1)) {
            n += refs.get(i).length();
        }
        return n;
    }

    /** The blob's size once the recipe is complete, else -1. */
    public synchronized long size() {
        return size;
    }

    /** The stored, in-order prefix of the recipe from {@code from} on: what a follower may take already. */
    public synchronized RecipePrefix storedPrefixFrom(int from) {
        int end = stored.nextClearBit(0);
        end = Math.min(end, refs.size());
        List<ChunkRef> out = from < end ? List.copyOf(refs.subList(from, end)) : List.of();
        return new RecipePrefix(out, complete && end == refs.size(), complete ? size : -1);
    }

    /**
     * Completes with chunk {@code index} once it is stored, with empty once the recipe is complete and
     * has fewer chunks (the end of the blob), or exceptionally if the pull failed first.
     */
    public synchronized CompletableFuture<Optional<ChunkRef>> whenStored(int index) {
        CompletableFuture<Optional<ChunkRef>> f = new CompletableFuture<>();
        if (!settle(index, f)) {
            waiters.add(new Waiter(index, f));
        }
        return f;
    }

    private void wake() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (settle(w.index(), w.future())) {
                it.remove();
            }
        }
    }

    private boolean settle(int index, CompletableFuture<Optional<ChunkRef>> f) {
        if (index < refs.size() && stored.get(index)) {
            f.complete(Optional.of(refs.get(index)));
            return true;
        }
        if (complete && index >= refs.size()) {
            f.complete(Optional.empty());
            return true;
        }
        if (failure != null) {
            f.completeExceptionally(failure);
            return true;
        }
        return false;
    }
}
