package dev.chunkmesh.store.memory;

import dev.chunkmesh.store.AbstractChunkStore;
import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chunk store in heap memory with the same semantics as the disk store (frames, capacity,
 * eviction, pins), for tests and the simulator. Every read is checked against the chunk's digest.
 */
public final class InMemoryChunkStore extends AbstractChunkStore {

    /** Positions are a counter; 1024 of them make one virtual segment for the eviction order. */
    private static final ChunkIndex.Positions POSITIONS = new ChunkIndex.Positions() {
        @Override
        public long segment(long position) {
            return position >>> 10;
        }

        @Override
        public long offset(long position) {
            return position & 1023;
        }
    };

    private final ConcurrentHashMap<Long, byte[]> frames = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    public InMemoryChunkStore(StoreLimits limits) {
        super(limits, POSITIONS, 1024);
    }

    /** A store without a practical capacity limit. */
    public InMemoryChunkStore() {
        this(StoreLimits.unlimited());
    }

    @Override
    protected CompletableFuture<Long> writeFrame(Digest digest, byte[] frame) {
        long position = next.getAndIncrement();
        frames.put(position, frame.clone());
        return CompletableFuture.completedFuture(position);
    }

    @Override
    protected byte[] readFrame(Digest digest, long position, int size) {
        byte[] frame = frames.get(position);
        if (frame == null) {
            throw new ChunkMissingException(digest);
        }
        return frame.clone();
    }

    @Override
    protected void free(long position, int size) {
        frames.remove(position);
    }

    @Override
    protected void quarantine(Digest digest, long position, int size) {
        frames.remove(position);
    }

    @Override
    protected boolean readsAreChecked() {
        return false;
    }

    /** Replaces a stored frame's bytes, to test how readers react to corruption. */
    public void corruptForTest(Digest digest, byte[] frame) {
        OptionalLong at = locate(digest);
        if (at.isPresent()) {
            frames.put(ChunkIndex.position(at.getAsLong()), frame.clone());
        }
    }

    @Override
    public void close() {
        frames.clear();
    }
}
