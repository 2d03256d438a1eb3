package dev.chunkmesh.store;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A store that passes every call to another; override single methods to add behaviour by wrapping
 * (counting, fault injection, delays) without touching the wrapped store. {@link #getFrameBuffer} is not
 * forwarded: it goes through {@link #getFrame}, so a wrapper that changes frames changes both.
 */
public abstract class ForwardingChunkStore implements ChunkStore {

    protected final ChunkStore delegate;

    protected ForwardingChunkStore(ChunkStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public boolean has(Digest digest) {
        return delegate.has(digest);
    }

    @Override
    public byte[] get(Digest digest) {
        return delegate.get(digest);
    }

    @Override
    public byte[] getFrame(Digest digest) {
        return delegate.getFrame(digest);
    }

    @Override
    public Digest put(byte[] raw, PinSet pins) {
        return delegate.put(raw, pins);
    }

    @Override
    public void put(Digest expected, byte[] raw, PinSet pins) {
        delegate.put(expected, raw, pins);
    }

    @Override
    public CompletableFuture<Digest> putAsync(byte[] raw, PinSet pins) {
        return delegate.putAsync(raw, pins);
    }

    @Override
    public CompletableFuture<Void> putAsync(Digest expected, byte[] raw, PinSet pins) {
        return delegate.putAsync(expected, raw, pins);
    }

    @Override
    public void putFrame(Digest expected, byte[] frame, PinSet pins) {
        delegate.putFrame(expected, frame, pins);
    }

    @Override
    public CompletableFuture<Void> putFrameAsync(Digest expected, byte[] frame, PinSet pins) {
        return delegate.putFrameAsync(expected, frame, pins);
    }

    @Override
    public CompletableFuture<ByteBuffer> putFrameKeepingRawAsync(Digest expected, byte[] frame, PinSet pins) {
        return delegate.putFrameKeepingRawAsync(expected, frame, pins);
    }

    @Override
    public boolean delete(Digest digest) {
        return delegate.delete(digest);
    }

    @Override
    public void forEachHeld(Consumer<Digest> action) {
        delegate.forEachHeld(action);
    }

    @Override
    public PinSet openPinSet() {
        return delegate.openPinSet();
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
