package dev.chunkmesh.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The in-memory index of a store: which chunks it holds, where (a position the store defines) and
 * their stored sizes, pins, and room reserved by puts still being written. It decides eviction; the
 * store frees the bytes. Entries live in primitive arrays (an open-addressing table of 40 bytes a slot:
 * the digest and one packed word), not an object per chunk.
 *
 * <p>Eviction is first-in first-out by position (oldest segment first), with a second chance: a
 * chunk read since it was stored, or since its last second chance, survives one pass. Pinned chunks
 * are never evicted. Thread-safe: every method runs under this object's monitor.
 */
public final class ChunkIndex {

    /** How a store's positions are ordered: by segment, oldest first, then by offset within it. */
    public interface Positions {
        /** The sequence number of the segment holding {@code position}; older segments have smaller ones. */
        long segment(long position);

        /** The offset (in any unit that keeps order) of {@code position} within its segment. */
        long offset(long position);
    }

    /** A chunk removed from the index, whose bytes the store frees. */
    public record Victim(Digest digest, long position, int size) {}

    /** The outcome of asking for room: already held, or room made (or not) after evicting victims. */
    public record Admission(boolean alreadyHeld, boolean fits, List<Victim> victims) {}

    static final int LEN_BITS = 25;
    static final long LEN_MASK = (1L << LEN_BITS) - 1;
    /** Positions are 38 bits. */
    public static final long MAX_POSITION = (1L << 38) - 1;
    /** The largest frame a position word can describe. */
    public static final int MAX_FRAME = (int) LEN_MASK;
    /** The bit of a slot's word that gives its chunk a second chance at the next eviction. */
    static final long REFERENCED = 1L << 63;

    private final StoreLimits limits;
    private final Positions positions;
    private final SlotTable table;
    private final SecondChanceEviction eviction;
    /** Pin counts by digest, for every open pin set; guarded by this index's monitor. */
    private final Map<Digest, Integer> pinCounts = new HashMap<>();
    private long used;
    private long reserved;
    private long evictions;
    /** What the device was found to hold when it ran out of space; {@code Long.MAX_VALUE} until then. */
    private long deviceCeiling = Long.MAX_VALUE;

    public ChunkIndex(StoreLimits limits, Positions positions, int expectedChunks) {
        this.limits = limits;
        this.positions = positions;
        this.table = new SlotTable(expectedChunks);
        this.eviction = new SecondChanceEviction(table, positions, pinCounts.keySet());
    }

    private static long word(long position, int size) {
        if (position < 0 || position > MAX_POSITION) {
            throw new IllegalArgumentException("position " + position + " out of range");
        }
        if (size <= 0 || size > MAX_FRAME) {
            throw new IllegalArgumentException("frame size " + size + " out of range");
        }
        return (position << LEN_BITS) | size;
    }

    private static int sizeOf(long word) {
        return (int) (word & LEN_MASK);
    }

    private static long positionOf(long word) {
        return (word & ~REFERENCED) >>> LEN_BITS;
    }

    /** Makes room for {@code chunks} entries at once (at open, when the number is known), so loading never rehashes. */
    public synchronized void ensureCapacity(int chunks) {
        table.ensureCapacity(chunks);
    }

    public synchronized boolean contains(Digest digest) {
        return table.find(digest) >= 0;
    }

    /**
     * The position and size of a held chunk, marking it used (it will survive the next eviction pass
     * that reaches it); empty if it is not held.
     */
    public synchronized OptionalLong touch(Digest digest) {
        int s = table.find(digest);
        if (s < 0) {
            return OptionalLong.empty();
        }
        table.words[s] |= REFERENCED;
        return OptionalLong.of(table.words[s] & ~REFERENCED);
    }

    /** Position of a packed location word from {@link #touch}. */
    public static long position(long location) {
        return positionOf(location);
    }

    /** Size of a packed location word from {@link #touch}. */
    public static int size(long location) {
        return sizeOf(location);
    }

    /** Adds a chunk found in the medium at open; a later load of the same digest replaces the earlier one. */
    public synchronized void load(Digest digest, long position, int size) {
        int s = table.find(digest);
        if (s >= 0) {
            used -= sizeOf(table.words[s]);
            table.words[s] = word(position, size);
        } else {
            table.insert(digest, word(position, size));
        }
        used += size;
    }

    /**
     * Asks for room for a new chunk of {@code size} bytes. If it is held, pins and touches it.
     * Otherwise evicts what the watermarks require and, if the chunk then fits, reserves its room
     * until {@link #commit} or {@link #abort}. The caller frees the victims' bytes in every case.
     */
    public synchronized Admission admit(Digest digest, int size, PinSet pins) {
        int s = table.find(digest);
        if (s >= 0) {
            pins.pin(digest);
            table.words[s] |= REFERENCED;
            return new Admission(true, true, List.of());
        }
        List<Victim> victims = List.of();
        if (used + reserved + size > highBytes()) {
            victims = evictDownTo(lowBytes() - size);
        }
        boolean fits = used + reserved + size <= capacity();
        if (fits) {
            reserved += size;
        }
        return new Admission(false, fits, victims);
    }

    /**
     * Records a reserved chunk as stored at {@code position} and pins it in {@code pins}. If another
     * put of the same chunk landed first, returns the position of this now redundant copy for the
     * store to free; else -1.
     */
    public synchronized long commit(Digest digest, long position, int size, PinSet pins) {
        reserved -= size;
        pins.pin(digest);
        int s = table.find(digest);
        if (s >= 0) {
            return position;
        }
        table.insert(digest, word(position, size));
        used += size;
        return -1;
    }

    /** Gives back room reserved for a put that failed. */
    public synchronized void abort(int size) {
        reserved -= size;
    }

    /** Forgets a chunk; returns its position and size (see {@link #touch}) if it was held. */
    public synchronized OptionalLong remove(Digest digest) {
        int s = table.find(digest);
        if (s < 0) {
            return OptionalLong.empty();
        }
        long w = table.words[s] & ~REFERENCED;
        used -= sizeOf(w);
        table.remove(s);
        return OptionalLong.of(w);
    }

    /**
     * Moves a chunk to {@code newPosition} if it is still at {@code oldPosition} (compaction); returns
     * whether it moved. Its second-chance mark is kept.
     */
    public synchronized boolean relocate(Digest digest, long oldPosition, long newPosition) {
        int s = table.find(digest);
        if (s < 0 || positionOf(table.words[s]) != oldPosition) {
            return false;
        }
        table.words[s] = word(newPosition, sizeOf(table.words[s])) | (table.words[s] & REFERENCED);
        return true;
    }

    /** Evicts down to the low watermark if the store is above the high one (after a restart). */
    public synchronized List<Victim> evictIfAboveHigh() {
        return used + reserved > highBytes() ? evictDownTo(lowBytes()) : List.of();
    }

    /**
     * The device ran out of space with the store below its configured capacity: from now on the store
     * treats what it holds now as its capacity, and evicts down to the low watermark of that (plus
     * {@code size} bytes of room for the put that failed).
     */
    public synchronized List<Victim> deviceFull(long size) {
        deviceCeiling = Math.max(1, used + reserved);
        return evictDownTo(lowBytes() - size);
    }

    /** Whether a full device lowered the capacity below the configured one. */
    public synchronized boolean ceilingLowered() {
        return deviceCeiling != Long.MAX_VALUE;
    }

    /**
     * Space came free on the device: the capacity becomes what is held plus {@code freeBytes}, and the
     * configured capacity again once that reaches it.
     */
    public synchronized void deviceRoom(long freeBytes) {
        long room = used + reserved + Math.max(0, freeBytes);
        deviceCeiling = room >= limits.capacityBytes() ? Long.MAX_VALUE : Math.max(deviceCeiling, room);
    }

    /** Hears of one held chunk: its digest's four words, position and frame size. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long w0, long w1, long w2, long w3, long position, int size);
    }

    /** Calls {@code visitor} for every held chunk, in no order, under the index's lock (keep it quick). */
    public synchronized void forEachEntry(EntryVisitor visitor) {
        long[] keys = table.keys;
        for (int s = 0; s < table.capacity(); s++) {
            long w = table.words[s];
            if (w != 0) {
                int k = s * 4;
                visitor.visit(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], positionOf(w), sizeOf(w));
            }
        }
    }

    /** The digests of every held chunk. */
    public synchronized List<Digest> snapshot() {
        List<Digest> out = new ArrayList<>(table.count());
        for (int s = 0; s < table.capacity(); s++) {
            if (table.words[s] != 0) {
                out.add(table.digestAt(s));
            }
        }
        return out;
    }

    public synchronized StoreStats stats(long corruptFound) {
        return new StoreStats(table.count(), used, capacity(), pinCounts.size(), evictions, corruptFound);
    }

    /** Heap bytes of the table, for benchmarks. */
    public synchronized long tableBytes() {
        return table.bytes();
    }

    public PinSet newPinSet() {
        return new IndexPins(this, pinCounts);
    }

    private long capacity() {
        return Math.min(limits.capacityBytes(), deviceCeiling);
    }

    private long highBytes() {
        return deviceCeiling == Long.MAX_VALUE ? limits.highBytes() : (long) (capacity() * limits.highWatermark());
    }

    private long lowBytes() {
        return deviceCeiling == Long.MAX_VALUE ? limits.lowBytes() : (long) (capacity() * limits.lowWatermark());
    }

    /** Evicts oldest first until held plus reserved bytes are at most {@code target}. */
    private List<Victim> evictDownTo(long target) {
        if (used + reserved <= target || table.count() == 0) {
            return List.of();
        }
        List<Victim> victims = eviction.evict(used + reserved - target);
        for (Victim v : victims) {
            used -= v.size();
        }
        evictions += victims.size();
        return victims;
    }
}
