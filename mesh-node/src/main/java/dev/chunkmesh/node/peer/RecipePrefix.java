package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.ChunkRef;
import java.util.List;

/**
 * Part of a blob's recipe that a node can already serve, from some chunk index on: while a node is
 * the first to chunk a blob from the origin, the prefix grows; once it is {@code complete}, the last
 * chunk ends at {@code size} (which is -1 before).
 */
public record RecipePrefix(List<ChunkRef> chunks, boolean complete, long size) {
    public RecipePrefix {
        chunks = List.copyOf(chunks);
        if (complete && size < 0) {
            throw new IllegalArgumentException("a complete recipe prefix needs the blob size");
        }
    }
}
