package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
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
}
