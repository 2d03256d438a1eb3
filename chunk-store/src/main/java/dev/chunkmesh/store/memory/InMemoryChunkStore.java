package dev.chunkmesh.store.memory;

import dev.chunkmesh.store.AbstractChunkStore;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chunk store in heap memory with the same semantics as the disk store (frames, capacity,
 * eviction, pins), for tests and the simulator.
 */
public final class InMemoryChunkStore extends AbstractChunkStore {

    private final ConcurrentHashMap<Digest, byte[]> frames = new ConcurrentHashMap<>();

    public InMemoryChunkStore(StoreLimits limits) {
        super(limits);
    }

    /** A store without a practical capacity limit. */
    public InMemoryChunkStore() {
        this(StoreLimits.unlimited());
    }

    @Override
    protected void writeFrame(Digest digest, byte[] frame) {
        frames.put(digest, frame.clone());
    }

    @Override
    protected byte[] readFrame(Digest digest) {
        byte[] frame = frames.get(digest);
        if (frame == null) {
            throw new ChunkMissingException(digest);
        }
        return frame.clone();
    }

    @Override
    protected void deleteFrame(Digest digest) {
        frames.remove(digest);
    }

    @Override
    protected void quarantine(Digest digest) {
        frames.remove(digest);
    }

    /** Replaces a stored frame's bytes, to test how readers react to corruption. */
    public void corruptForTest(Digest digest, byte[] frame) {
        frames.put(digest, frame.clone());
    }

    @Override
    public void close() {
        frames.clear();
    }
}
