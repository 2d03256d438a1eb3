package dev.chunkmesh.store;

import java.util.List;
import java.util.Objects;

/**
 * How to assemble one blob from chunks: its digest and size, and its chunks in order. The chunks
 * tile the blob exactly: the first starts at 0, each starts where the previous ended, the last ends
 * at {@code size}. An empty blob has no chunks.
 */
public record Recipe(Digest blob, long size, List<ChunkRef> chunks) {
    public Recipe {
        Objects.requireNonNull(blob, "blob");
        chunks = List.copyOf(chunks);
        long expected = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ChunkRef c = chunks.get(i);
            if (c.offset() != expected) {
                throw new IllegalArgumentException("recipe for " + blob + ": chunk " + i + " starts at " + c.offset()
                        + " but the previous chunk ends at " + expected);
            }
            expected = c.end();
        }
        if (expected != size) {
            throw new IllegalArgumentException("recipe for " + blob + ": chunks cover " + expected
                    + " bytes but the blob has " + size);
        }
    }
}
