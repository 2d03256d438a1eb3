package dev.chunkmesh.node.registry;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads the part of each chunk that falls in a byte range of its blob, for {@link BlobStreamer}, as a
 * buffer: a view of what the store read (of its mapped segment, for a raw chunk), not a copy, where it
 * can. Every chunk is checked by the store and against the length its recipe gives. Blocks: run on
 * workers.
 */
final class RangeReader {
    /** A chunk wholly before the range. */
    static final Object SKIP = new Object();

    /** A chunk that could not be read. */
    record Failed(RuntimeException cause) {}

    private final ChunkStore store;
    private final ByteRange range;

    RangeReader(ChunkStore store, ByteRange range) {
        this.store = store;
        this.range = range;
    }

    /** What the chunk gives the range: empty past its end, {@link #SKIP} before its start, else its part (or {@link Failed}). */
    Optional<Object> readOrSkip(Optional<ChunkRef> ref) {
        if (ref.isEmpty() || ref.get().offset() >= range.end()) {
            return Optional.empty();
        }
        if (ref.get().end() <= range.start()) {
            return Optional.of(SKIP);
        }
        try {
            return Optional.of(read(ref.get()));
        } catch (RuntimeException e) {
            return Optional.of(new Failed(e));
        }
    }

    private Object read(ChunkRef c) {
        int from = (int) Math.max(0, range.start() - c.offset());
        int to = (int) Math.min(c.length(), range.end() - c.offset());
        ByteBuffer raw = store.getBuffer(c.digest());
        if (raw.remaining() != c.length()) {
            throw new ChunkCorruptException(c.digest(), "stored chunk has " + raw.remaining() + " bytes, the recipe " + c.length());
        }
        ByteBuffer part = from == 0 && to == raw.remaining() ? raw : raw.slice(raw.position() + from, to - from);
        return BufferInternal.buffer(Unpooled.wrappedBuffer(part));
    }
}
