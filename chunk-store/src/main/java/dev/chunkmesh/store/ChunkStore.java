package dev.chunkmesh.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A content-addressed store of chunks, keyed by the SHA-256 of each chunk's raw bytes.
 *
 * <p>Every implementation guarantees: a chunk is hashed where it enters the store and refused if it is
 * not what it claims to be; what {@link #get} returns is exactly what was stored (checked on every read,
 * by a checksum of the stored record or by the chunk's digest); a chunk is visible to {@link #has} and
 * {@link #get} only once it is wholly stored and as durable as the store is configured to make it;
 * chunks pinned by an open {@link PinSet} are never evicted. All methods are safe to call from many threads and may block
 * on disk, so callers on an event loop must move them to a worker thread.
 */
public interface ChunkStore extends AutoCloseable {

    /** Whether the chunk is held now. */
    boolean has(Digest digest);

    /**
     * Whether the chunk is held and its stored bytes pass the check a read makes, without handing them
     * out: a chunk that fails is dropped, as by {@link #get}, and reported as not held. For a caller about
     * to count on a held chunk (a pull counting what it need not fetch).
     */
    default boolean verify(Digest digest) {
        if (!has(digest)) {
            return false;
        }
        try {
            getFrame(digest);
            return true;
        } catch (ChunkMissingException | ChunkCorruptException gone) {
            return false;
        }
    }

    /**
     * The chunk's raw bytes, verified against {@code digest}.
     *
     * @throws ChunkMissingException if it is not held
     * @throws ChunkCorruptException if the stored bytes do not match; the chunk is then dropped
     */
    byte[] get(Digest digest);

    /**
     * The chunk's raw bytes, checked like {@link #get}, as a buffer that may be a view of what the store
     * read (no copy for chunks stored uncompressed). The caller may read it but must not change it.
     */
    default ByteBuffer getBuffer(Digest digest) {
        return ByteBuffer.wrap(get(digest));
    }

    /**
     * {@link #getBuffer(Digest)}, where a chunk stored compressed may be decoded into a buffer from {@code decodeInto}
     * (asked for once, with the raw length; direct, holding that many bytes from position 0) instead of memory the
     * store allocates: a caller that pools buffers saves an allocation and its zeroing per chunk. Whether it was asked
     * or not, the caller owns what it handed out; the result is then either that buffer or the store's own.
     */
    default ByteBuffer getBuffer(Digest digest, IntFunction<ByteBuffer> decodeInto) {
        return getBuffer(digest);
    }

    /**
     * The chunk as a frame ({@link ChunkFrame}), ready to send to a peer; its content has been verified
     * against {@code digest} like {@link #get}.
     */
    byte[] getFrame(Digest digest);

    /**
     * {@link #getFrame} as a read-only buffer: a view of what the store holds (its mapped segment), not a
     * copy, where it can. The frame was checked like {@link #getFrame}'s.
     */
    default ByteBuffer getFrameBuffer(Digest digest) {
        return ByteBuffer.wrap(getFrame(digest)).asReadOnlyBuffer();
    }

    /**
     * Stores {@code raw} under its own SHA-256 and pins it in {@code pins}, atomically with respect to
     * eviction. Storing a chunk already held only refreshes its recency.
     *
     * @return the chunk's digest
     * @throws StoreFullException if there is no room even after evicting every unpinned chunk
     */
    Digest put(byte[] raw, PinSet pins);

    /**
     * {@link #put(byte[], PinSet)} without waiting: hashes and frames the chunk in the calling thread,
     * then the future completes with its digest once it is visible.
     */
    default CompletableFuture<Digest> putAsync(byte[] raw, PinSet pins) {
        try {
            return CompletableFuture.completedFuture(put(raw, pins));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #put(byte[], PinSet)} without pinning. */
    default Digest put(byte[] raw) {
        return put(raw, PinSet.NONE);
    }

    /**
     * Stores bytes that were sent as chunk {@code expected}, refusing them if they hash to anything
     * else.
     *
     * @throws ChunkCorruptException if {@code raw} does not hash to {@code expected}; nothing is stored
     */
    void put(Digest expected, byte[] raw, PinSet pins);

    /**
     * {@link #put(Digest, byte[], PinSet)} without waiting: the future completes once the chunk is
     * visible, or fails with {@link ChunkCorruptException}, {@link StoreFullException} or another
     * {@link ChunkStoreException}. Many puts in flight let a store commit them to its device together.
     */
    default CompletableFuture<Void> putAsync(Digest expected, byte[] raw, PinSet pins) {
        try {
            put(expected, raw, pins);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Stores a chunk as the frame ({@link ChunkFrame}) it travelled in, without compressing it again:
     * the frame is decoded once and its content checked against {@code expected}.
     *
     * @throws ChunkCorruptException if the frame is malformed or its content is not {@code expected}
     */
    default void putFrame(Digest expected, byte[] frame, PinSet pins) {
        put(expected, ChunkFrame.decode(expected, frame), pins);
    }

    /** {@link #putFrame} without waiting, as {@link #putAsync}. */
    default CompletableFuture<Void> putFrameAsync(Digest expected, byte[] frame, PinSet pins) {
        try {
            putFrame(expected, frame, pins);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #putFrameAsync}, handing back the chunk's raw bytes, checked against {@code expected}, for a
     * caller that uses them next (a whole-blob hash): the frame is decoded and hashed once, not again on a
     * read. The caller may read the buffer but must not change it.
     */
    default CompletableFuture<ByteBuffer> putFrameKeepingRawAsync(Digest expected, byte[] frame, PinSet pins) {
        try {
            byte[] raw = ChunkFrame.decode(expected, frame);
            return putAsync(expected, raw, pins).thenApply(v -> ByteBuffer.wrap(raw));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes the chunk if held; returns whether it was. Pinned chunks can still be deleted explicitly. */
    boolean delete(Digest digest);

    /** Calls {@code action} once for every chunk held when the call began, in no particular order. */
    void forEachHeld(Consumer<Digest> action);

    /** A new, empty set of pins on this store. */
    PinSet openPinSet();

    StoreStats stats();

    @Override
    void close();
}
