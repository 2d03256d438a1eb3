package dev.chunkmesh.store;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * What every store shares: the SHA-256 check where a chunk enters, admission against capacity with
 * eviction and pins, visibility only once the medium says a frame is durable, checked reads, and the
 * handling of corrupt chunks. Subclasses only move frames to and from their medium.
 */
public abstract class AbstractChunkStore implements ChunkStore {

    private final ChunkIndex index;
    private final AtomicLong corruptFound = new AtomicLong();
    private static final long ROOM_CHECK_NANOS = 10_000_000_000L;
    private volatile long lastRoomCheck = System.nanoTime();

    protected AbstractChunkStore(StoreLimits limits, ChunkIndex.Positions positions, int expectedChunks) {
        this.index = new ChunkIndex(Objects.requireNonNull(limits, "limits"), positions, expectedChunks);
    }

    /**
     * Writes a frame; the future completes with its position once the frame is durable (as durable as
     * the medium is configured to make it), or fails with {@link DeviceFullException} when the device
     * has no room, leaving nothing readable behind.
     */
    protected abstract CompletableFuture<Long> writeFrame(Digest digest, byte[] frame);

    /**
     * Reads the frame stored at {@code position}, checked as the medium allows (see
     * {@link #readsAreChecked}).
     *
     * @throws ChunkMissingException if it is gone
     * @throws ChunkCorruptException if the stored bytes fail the medium's check
     */
    protected abstract byte[] readFrame(Digest digest, long position, int size);

    /**
     * {@link #readFrame} as a buffer, for media that can hand out a view of what they read instead of a
     * copy; by default a wrap of {@link #readFrame}.
     */
    protected ByteBuffer readFrameBuffer(Digest digest, long position, int size) {
        return ByteBuffer.wrap(readFrame(digest, position, size));
    }

    /** The bytes at {@code position} are no longer a chunk of this store (evicted, deleted, a duplicate). */
    protected abstract void free(long position, int size);

    /** Takes a corrupt frame out of service; a disk store keeps it aside for inspection. */
    protected abstract void quarantine(Digest digest, long position, int size);

    /**
     * Whether {@link #readFrame} proves the bytes are the ones stored (a checksum of the record). If not,
     * every read is checked against the chunk's SHA-256 instead.
     */
    protected abstract boolean readsAreChecked();

    /** The index, for subclasses that load what their medium holds at open. */
    protected final ChunkIndex index() {
        return index;
    }

    /** Frees the victims of an eviction the index decided at open. */
    protected final void evictAfterLoad() {
        freeVictims(index.evictIfAboveHigh());
    }

    /** Where a held chunk is, as a {@link ChunkIndex} location word, marking it used. */
    protected final OptionalLong locate(Digest digest) {
        return index.touch(digest);
    }

    @Override
    public boolean has(Digest digest) {
        return index.contains(digest);
    }

    /** Checks the stored frame as a read does (a view where the medium has one: no copy, no decoding). */
    @Override
    public boolean verify(Digest digest) {
        if (!index.contains(digest)) {
            return false;
        }
        try {
            checkedFrame(digest, true);
            return true;
        } catch (ChunkMissingException | ChunkCorruptException gone) {
            return false;
        }
    }

    @Override
    public byte[] get(Digest digest) {
        return ChunkFrame.bytes(raw(digest, false, ByteBuffer::allocateDirect));
    }

    @Override
    public ByteBuffer getBuffer(Digest digest) {
        return raw(digest, true, ByteBuffer::allocateDirect);
    }

    @Override
    public ByteBuffer getBuffer(Digest digest, IntFunction<ByteBuffer> decodeInto) {
        return raw(digest, true, decodeInto);
    }

    /** The chunk's raw bytes from its checked frame; a frame that does not decode drops the chunk. */
    private ByteBuffer raw(Digest digest, boolean view, IntFunction<ByteBuffer> decodeInto) {
        ByteBuffer frame = checkedFrame(digest, view);
        try {
            return ChunkFrame.rawView(digest, frame, decodeInto);
        } catch (ChunkCorruptException e) {
            dropCorrupt(digest, e);
            throw e;
        }
    }

    @Override
    public byte[] getFrame(Digest digest) {
        return ChunkFrame.bytes(checkedFrame(digest, false));
    }

    @Override
    public ByteBuffer getFrameBuffer(Digest digest) {
        return checkedFrame(digest, true).asReadOnlyBuffer();
    }

    /** The stored frame, checked; as a view of what the medium holds when {@code view}, else read into memory. */
    private ByteBuffer checkedFrame(Digest digest, boolean view) {
        OptionalLong location = index.touch(digest);
        if (location.isEmpty()) {
            throw new ChunkMissingException(digest);
        }
        long position = ChunkIndex.position(location.getAsLong());
        int size = ChunkIndex.size(location.getAsLong());
        ByteBuffer frame;
        try {
            frame = view ? readFrameBuffer(digest, position, size) : ByteBuffer.wrap(readFrame(digest, position, size));
            if (!readsAreChecked()) {
                ChunkFrame.decode(digest, ChunkFrame.bytes(frame));
            }
        } catch (ChunkMissingException e) {
            index.remove(digest);
            throw e;
        } catch (ChunkCorruptException e) {
            dropCorrupt(digest, e);
            throw e;
        }
        return frame;
    }

    /** Drops a chunk whose stored bytes failed a check: counted, taken out of the index, kept aside. */
    protected final void dropCorrupt(Digest digest, ChunkCorruptException e) {
        OptionalLong removed = index.remove(digest);
        if (removed.isPresent()) {
            corruptFound.incrementAndGet();
            quarantine(digest, ChunkIndex.position(removed.getAsLong()), ChunkIndex.size(removed.getAsLong()));
        }
    }

    /** Whether chunks this store encodes are compressed where that pays; raw frames otherwise. */
    protected boolean compresses() {
        return true;
    }

    private byte[] frame(byte[] raw) {
        return ChunkFrame.encode(raw, 0, raw.length, compresses());
    }

    @Override
    public Digest put(byte[] raw, PinSet pins) {
        Digest digest = Digest.sha256(raw);
        join(store(digest, frame(raw), pins));
        return digest;
    }

    @Override
    public CompletableFuture<Digest> putAsync(byte[] raw, PinSet pins) {
        Digest digest = Digest.sha256(raw);
        return store(digest, frame(raw), pins).thenApply(v -> digest);
    }

    @Override
    public void put(Digest expected, byte[] raw, PinSet pins) {
        join(putAsync(expected, raw, pins));
    }

    @Override
    public CompletableFuture<Void> putAsync(Digest expected, byte[] raw, PinSet pins) {
        Digest actual = Digest.sha256(raw);
        if (!actual.equals(expected)) {
            return CompletableFuture.failedFuture(new ChunkCorruptException(expected, actual));
        }
        return store(expected, frame(raw), pins);
    }

    @Override
    public void putFrame(Digest expected, byte[] frame, PinSet pins) {
        join(putFrameAsync(expected, frame, pins));
    }

    @Override
    public CompletableFuture<Void> putFrameAsync(Digest expected, byte[] frame, PinSet pins) {
        return putFrameKeepingRawAsync(expected, frame, pins).thenApply(raw -> null);
    }

    @Override
    public CompletableFuture<ByteBuffer> putFrameKeepingRawAsync(Digest expected, byte[] frame, PinSet pins) {
        ByteBuffer raw;
        try {
            raw = ChunkFrame.verifiedView(expected, frame);
        } catch (ChunkCorruptException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store(expected, frame, pins).thenApply(v -> raw);
    }

    private CompletableFuture<Void> store(Digest digest, byte[] frame, PinSet pins) {
        Objects.requireNonNull(pins, "pins");
        liftCeilingIfRoomCame();
        return attempt(digest, frame, pins, 0);
    }

    /** Rounds of eviction a put may go through when the device is full before it gives up. */
    static final int DEVICE_FULL_ROUNDS = 3;

    private CompletableFuture<Void> attempt(Digest digest, byte[] frame, PinSet pins, int deviceFullRounds) {
        int size = frame.length;
        ChunkIndex.Admission admission;
        try {
            admission = index.admit(digest, size, pins);
            freeVictims(admission.victims());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (admission.alreadyHeld()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!admission.fits()) {
            StoreStats s = index.stats(corruptFound.get());
            String limit = index.ceilingLowered() ? " bytes the device has room for" : " bytes of capacity";
            return CompletableFuture.failedFuture(new StoreFullException("put chunk " + digest + ": store full, " + s.usedBytes() + " of "
                    + s.capacityBytes() + limit + " used and " + s.pinned() + " chunks pinned by in-flight blobs"));
        }
        CompletableFuture<Long> written;
        try {
            written = writeFrame(digest, frame);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.handle((position, error) -> {
            if (error == null) {
                long duplicate = index.commit(digest, position, size, pins);
                if (duplicate >= 0) {
                    free(duplicate, size);
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            index.abort(size);
            Throwable cause = unwrap(error);
            if (cause instanceof DeviceFullException && deviceFullRounds < DEVICE_FULL_ROUNDS) {
                freeVictims(index.deviceFull(size));
                reclaim();
                lastRoomCheck = System.nanoTime();
                return attempt(digest, frame, pins, deviceFullRounds + 1);
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** After evicting for a full device: whatever else the medium must do before the space is really free. */
    protected void reclaim() {
    }

    /** After a full device, checks now and then whether space came free, and grows back into it. */
    private void liftCeilingIfRoomCame() {
        if (index.ceilingLowered() && System.nanoTime() - lastRoomCheck > ROOM_CHECK_NANOS) {
            lastRoomCheck = System.nanoTime();
            deviceFreeBytes().ifPresent(free -> index.deviceRoom((long) (free * 0.9)));
        }
    }

    /**
     * Free bytes on the device under the store, if the medium has a device; used to grow back after
     * {@link DeviceFullException}.
     */
    protected OptionalLong deviceFreeBytes() {
        return OptionalLong.empty();
    }

    private void freeVictims(List<ChunkIndex.Victim> victims) {
        for (ChunkIndex.Victim v : victims) {
            free(v.position(), v.size());
        }
    }

    @Override
    public boolean delete(Digest digest) {
        OptionalLong removed = index.remove(digest);
        removed.ifPresent(w -> free(ChunkIndex.position(w), ChunkIndex.size(w)));
        return removed.isPresent();
    }

    @Override
    public void forEachHeld(Consumer<Digest> action) {
        index.snapshot().forEach(action);
    }

    @Override
    public PinSet openPinSet() {
        return index.newPinSet();
    }

    @Override
    public StoreStats stats() {
        return index.stats(corruptFound.get());
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Waits for a put, throwing what failed it as it was thrown. */
    protected static void join(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ChunkStoreException("put failed: " + cause, cause);
        }
    }
}
