package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class BlobProgressTest {
    private final Digest blob = Digest.sha256("blob".getBytes());
    private final List<ChunkRef> refs = List.of(new ChunkRef(0, 10, Digest.sha256("0".getBytes())),
            new ChunkRef(10, 5, Digest.sha256("1".getBytes())), new ChunkRef(15, 7, Digest.sha256("2".getBytes())));
    private final Recipe recipe = new Recipe(blob, 22, refs);

    @Test
    void aReaderWaitsForEachChunkInOrderThenForTheEnd() throws Exception {
        BlobProgress p = new BlobProgress(blob);
        CompletableFuture<Optional<ChunkRef>> first = p.whenStored(0);
        CompletableFuture<Optional<ChunkRef>> end = p.whenStored(3);
        p.setRecipe(recipe);
        assertFalse(first.isDone(), "known but not stored yet");
        p.markStored(1);
        assertFalse(first.isDone());
        p.markStored(0);
        assertEquals(Optional.of(refs.get(0)), first.get());
        assertEquals(Optional.empty(), end.get(), "past the last chunk of a complete recipe is the end");
        assertEquals(Optional.of(refs.get(1)), p.whenStored(1).get());
    }

    @Test
    void aGrowingPrefixServesOnlyWhatIsStoredInOrder() {
        BlobProgress p = new BlobProgress(blob);
        p.appendStored(refs.get(0));
        p.appendStored(refs.get(1));
        assertEquals(List.of(refs.get(1)), p.storedPrefixFrom(1).chunks());
        assertFalse(p.storedPrefixFrom(0).complete());
        p.setRecipe(recipe);
        assertFalse(p.storedPrefixFrom(0).complete(), "chunk 2 is not stored yet");
        p.markStored(2);
        assertTrue(p.storedPrefixFrom(3).complete());
        assertEquals(22, p.storedPrefixFrom(3).size());
        assertTrue(p.done());
    }

    @Test
    void aFailureReachesEveryWaitingReader() {
        BlobProgress p = new BlobProgress(blob);
        CompletableFuture<Optional<ChunkRef>> waiting = p.whenStored(2);
        p.fail(new IOException("origin down"));
        ExecutionException e = assertThrows(ExecutionException.class, waiting::get);
        assertEquals("origin down", e.getCause().getMessage());
    }

    @Test
    void aRecipeThatContradictsTheStreamedPrefixIsRefused() {
        BlobProgress p = new BlobProgress(blob);
        p.appendStored(new ChunkRef(0, 10, Digest.sha256("other".getBytes())));
        assertThrows(IllegalStateException.class, () -> p.setRecipe(recipe));
        assertThrows(IllegalStateException.class, () -> new BlobProgress(blob).appendStored(refs.get(1)), "a gap is refused");
    }

    @Test
    void rawBytesAreKeptOnlyWhileAReaderIsAttachedAndTakenOnce() {
        BlobProgress p = new BlobProgress(blob);
        p.appendStored(refs.get(0), ByteBuffer.wrap(new byte[10]));
        assertEquals(Optional.empty(), p.takeRecent(0), "stored before any reader: read it from the store");
        p.attachReader();
        p.appendStored(refs.get(1), ByteBuffer.wrap(new byte[5]));
        assertEquals(5, p.takeRecent(1).orElseThrow().remaining());
        assertEquals(Optional.empty(), p.takeRecent(1), "taken once");
        p.setRecipe(recipe);
        p.markStored(2, ByteBuffer.wrap(new byte[7]));
        p.detachReader();
        assertEquals(Optional.empty(), p.takeRecent(2), "the last reader left: nothing is kept for anyone");
    }

    @Test
    void takingAChunkLetsGoOfThoseBeforeIt() {
        BlobProgress p = new BlobProgress(blob);
        p.attachReader();
        p.setRecipe(recipe);
        p.markStored(0, ByteBuffer.wrap(new byte[10]));
        p.markStored(2, ByteBuffer.wrap(new byte[7]));
        assertTrue(p.takeRecent(2).isPresent());
        assertEquals(Optional.empty(), p.takeRecent(0), "a reader goes in order: what it passed is let go");
    }

    @Test
    void keptBytesStayWithinTheBoundAndThePositionOfTheCallersBufferDoesNotMatter() {
        BlobProgress p = new BlobProgress(blob);
        p.attachReader();
        int chunk = 1 << 20;
        int n = (int) (BlobProgress.RECENT_BYTES / chunk) + 4;
        for (int i = 0; i < n; i++) {
            ByteBuffer raw = ByteBuffer.wrap(new byte[chunk]);
            p.appendStored(new ChunkRef((long) i * chunk, chunk, Digest.sha256(new byte[] {(byte) i})), raw);
            raw.position(chunk); // the caller goes on to read its buffer: what was kept is unaffected
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Optional<ByteBuffer> got = p.takeRecent(i);
            if (got.isPresent()) {
                assertEquals(chunk, got.get().remaining());
                kept++;
            }
        }
        assertEquals(BlobProgress.RECENT_BYTES / chunk, kept, "the oldest are kept up to the bound, the rest are read from the store");
    }

    @Test
    void blobsShareTheNodesBudgetAndGiveItBackWhenTakenOrWhenTheirReaderLeaves() {
        KeptBytes budget = new KeptBytes(12);
        BlobProgress one = new BlobProgress(blob, budget);
        BlobProgress two = new BlobProgress(Digest.sha256("other".getBytes()), budget);
        one.attachReader();
        two.attachReader();
        one.appendStored(refs.get(0), ByteBuffer.wrap(new byte[10]));
        two.appendStored(refs.get(0), ByteBuffer.wrap(new byte[10]));
        assertEquals(10, budget.used(), "the second blob's chunk did not fit the node's budget");
        assertEquals(Optional.empty(), two.takeRecent(0));
        assertTrue(one.takeRecent(0).isPresent());
        assertEquals(0, budget.used(), "taken: given back");
        two.appendStored(refs.get(1), ByteBuffer.wrap(new byte[5]));
        assertEquals(5, budget.used());
        two.detachReader();
        assertEquals(0, budget.used(), "the reader left: what was kept for it is given back");
    }
}
