package dev.chunkmesh.store;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every store shares: hashing on put, verification on read, LRU eviction with pins, and the
 * handling of corrupt chunks. Subclasses only move frames to and from their medium.
 */
public abstract class AbstractChunkStore implements ChunkStore {

    private final LruIndex index;
    private final AtomicLong corruptFound = new AtomicLong();
    private static final long ROOM_CHECK_NANOS = 10_000_000_000L;
    private volatile long lastRoomCheck = System.nanoTime();

    protected AbstractChunkStore(StoreLimits limits) {
        this.index = new LruIndex(Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Writes a frame so that it becomes visible whole or not at all.
     *
     * @throws DeviceFullException if the device has no room for it
     */
    protected abstract void writeFrame(Digest digest, byte[] frame);

    /** Reads a stored frame. @throws ChunkMissingException if it is gone */
    protected abstract byte[] readFrame(Digest digest);

    /** Removes a stored frame if present. */
    protected abstract void deleteFrame(Digest digest);

    /** Takes a corrupt frame out of service (a disk store keeps it aside for inspection). */
    protected abstract void quarantine(Digest digest);

    /** Registers a chunk found in the medium when the store opens; oldest first. */
    protected final void loadExisting(Digest digest, long frameSize) {
        index.load(digest, frameSize);
    }

    /** Calls {@code action} with every held chunk and its frame size, least recently used first. */
    protected final void forEachIndexedOldestFirst(java.util.function.ObjLongConsumer<Digest> action) {
        for (LruIndex.Victim e : index.entriesOldestFirst()) {
            action.accept(e.digest(), e.size());
        }
    }

    /** Evicts down to the low watermark if the chunks found at open exceed the high watermark. */
    protected final void evictAfterLoad() {
        deleteVictims(index.evictIfAboveHigh());
    }

    @Override
    public boolean has(Digest digest) {
        return index.contains(digest);
    }

    @Override
    public byte[] get(Digest digest) {
        return verifiedRead(digest).raw();
    }

    @Override
    public byte[] getFrame(Digest digest) {
        return verifiedRead(digest).frame();
    }

    /** A stored frame and the raw bytes it decoded to, which hash to the digest asked for. */
    private record VerifiedRead(byte[] frame, byte[] raw) {}

    private VerifiedRead verifiedRead(Digest digest) {
        if (!index.touch(digest)) {
            throw new ChunkMissingException(digest);
        }
        byte[] frame;
        try {
            frame = readFrame(digest);
        } catch (ChunkMissingException e) {
            index.remove(digest);
            throw e;
        }
        byte[] raw;
        try {
            raw = ChunkFrame.decode(digest, frame);
        } catch (ChunkCorruptException e) {
            if (index.remove(digest)) {
                corruptFound.incrementAndGet();
                quarantine(digest);
            }
            throw e;
        }
        return new VerifiedRead(frame, raw);
    }

    @Override
    public Digest put(byte[] raw, PinSet pins) {
        Digest digest = Digest.sha256(raw);
        store(digest, raw, pins);
        return digest;
    }

    @Override
    public void put(Digest expected, byte[] raw, PinSet pins) {
        Digest actual = Digest.sha256(raw);
        if (!actual.equals(expected)) {
            throw new ChunkCorruptException(expected, actual);
        }
        store(expected, raw, pins);
    }

    private void store(Digest digest, byte[] raw, PinSet pins) {
        Objects.requireNonNull(pins, "pins");
        byte[] frame = ChunkFrame.encode(raw);
        liftCeilingIfRoomCame();
        try {
            storeFrame(digest, frame, pins);
        } catch (DeviceFullException full) {
            deleteVictims(index.deviceFull(frame.length));
            lastRoomCheck = System.nanoTime();
            storeFrame(digest, frame, pins);
        }
    }

    private void storeFrame(Digest digest, byte[] frame, PinSet pins) {
        LruIndex.Admission admission = index.admit(digest, frame.length, pins);
        deleteVictims(admission.victims());
        if (admission.alreadyHeld()) {
            return;
        }
        if (!admission.fits()) {
            StoreStats s = index.stats(corruptFound.get());
            String limit = index.ceilingLowered() ? " bytes the device has room for" : " bytes of capacity";
            throw new StoreFullException("put chunk " + digest + ": store full, " + s.usedBytes() + " of "
                    + s.capacityBytes() + limit + " used and " + s.pinned() + " chunks pinned by in-flight blobs");
        }
        try {
            writeFrame(digest, frame);
        } catch (RuntimeException e) {
            index.abort(frame.length);
            throw e;
        }
        index.commit(digest, frame.length, pins);
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

    private void deleteVictims(List<LruIndex.Victim> victims) {
        for (LruIndex.Victim v : victims) {
            deleteFrame(v.digest());
        }
    }

    @Override
    public boolean delete(Digest digest) {
        boolean held = index.remove(digest);
        if (held) {
            deleteFrame(digest);
        }
        return held;
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
}
