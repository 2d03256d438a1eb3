package dev.chunkmesh.node.registry;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads the part of each chunk that falls in a byte range of its blob, for {@link BlobStreamer}, as a
 * Netty buffer the caller must release: a view of what the store read (of its mapped segment, for a raw
 * chunk), not a copy, or pooled memory a compressed chunk was decoded into. Every chunk is checked by
 * the store and against the length its recipe gives. Blocks: run on workers.
 */
final class RangeReader {
    /** A chunk wholly before the range. */
    static final Object SKIP = new Object();

    /** A chunk that could not be read. */
    record Failed(RuntimeException cause) {}

    private final ChunkStore store;
    private final ByteRange range;
    private final ByteBufAllocator pool;

    /** Reads {@code range} of a blob's chunks from {@code store}, decoding compressed ones into Netty's default pool. */
    RangeReader(ChunkStore store, ByteRange range) {
        this(store, range, ByteBufAllocator.DEFAULT);
    }

    /** Reads as {@link #RangeReader(ChunkStore, ByteRange)} does, decoding compressed chunks into buffers of {@code pool}. */
    RangeReader(ChunkStore store, ByteRange range, ByteBufAllocator pool) {
        this.store = store;
        this.range = range;
        this.pool = pool;
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

    /** Gives back the buffer of a read ({@link #readOrSkip}'s result) that will not be sent. */
    static void release(Optional<Object> read) {
        if (read.isPresent() && read.get() instanceof ByteBuf b) {
            b.release();
        }
    }

    /**
     * The chunk's part of the range as a buffer the caller owns (release it once written or dropped): a
     * view of the store's mapped segment for a raw chunk, or pooled direct memory that a compressed chunk
     * was decoded into (no allocation or zeroing per chunk).
     */
    private ByteBuf read(ChunkRef c) {
        int from = (int) Math.max(0, range.start() - c.offset());
        int to = (int) Math.min(c.length(), range.end() - c.offset());
        ByteBuf[] pooled = {null};
        try {
            ByteBuffer raw = store.getBuffer(c.digest(), n -> {
                pooled[0] = pool.directBuffer(n, n);
                return pooled[0].nioBuffer(0, n);
            });
            if (raw.remaining() != c.length()) {
                throw new ChunkCorruptException(c.digest(), "stored chunk has " + raw.remaining() + " bytes, the recipe " + c.length());
            }
            if (pooled[0] != null) {
                ByteBuf decoded = pooled[0].writerIndex(to).readerIndex(from);
                pooled[0] = null;
                return decoded;
            }
            return Unpooled.wrappedBuffer(from == 0 && to == raw.remaining() ? raw : raw.slice(raw.position() + from, to - from));
        } finally {
            if (pooled[0] != null) {
                pooled[0].release();
            }
        }
    }
}
