package dev.chunkmesh.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /** A held chunk: its digest, position and size. */
    public record Entry(Digest digest, long position, int size) {}

    static final int LEN_BITS = 25;
    static final long LEN_MASK = (1L << LEN_BITS) - 1;
    /** Positions are 38 bits. */
    public static final long MAX_POSITION = (1L << 38) - 1;
    /** The largest frame a position word can describe. */
    public static final int MAX_FRAME = (int) LEN_MASK;
    private static final long REFERENCED = 1L << 63;
    private static final double MAX_LOAD = 0.85;
    /** Marks a slot evicted during one eviction, until the slots are removed after it. */
    private static final long DOOMED = -1L;

    private final StoreLimits limits;
    private final Positions positions;
    private long[] keys;
    private long[] words;
    private int capacity;
    private int count;
    private final Map<Digest, Integer> pinCounts = new HashMap<>();
    private long used;
    private long reserved;
    private long evictions;
    /** What the device was found to hold when it ran out of space; {@code Long.MAX_VALUE} until then. */
    private long deviceCeiling = Long.MAX_VALUE;

    public ChunkIndex(StoreLimits limits, Positions positions, int expectedChunks) {
        this.limits = limits;
        this.positions = positions;
        allocate(Math.max(64, (int) Math.min(Integer.MAX_VALUE - 8, (long) (expectedChunks / 0.8) + 64)));
    }

    private void allocate(int slots) {
        capacity = slots;
        keys = new long[slots * 4];
        words = new long[slots];
        count = 0;
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

    private int home(Digest d) {
        return (int) (((d.w0() >>> 32) * capacity) >>> 32);
    }

    private boolean keyAt(int slot, Digest d) {
        int k = slot * 4;
        return keys[k] == d.w0() && keys[k + 1] == d.w1() && keys[k + 2] == d.w2() && keys[k + 3] == d.w3();
    }

    private Digest digestAt(int slot) {
        int k = slot * 4;
        return new Digest(keys[k], keys[k + 1], keys[k + 2], keys[k + 3]);
    }

    /** The slot of {@code d}, or -1. */
    private int find(Digest d) {
        int i = home(d);
        while (words[i] != 0) {
            if (keyAt(i, d)) {
                return i;
            }
            i = i + 1 == capacity ? 0 : i + 1;
        }
        return -1;
    }

    private void insert(Digest d, long word) {
        if (count + 1 > capacity * MAX_LOAD) {
            grow();
        }
        int i = home(d);
        while (words[i] != 0) {
            i = i + 1 == capacity ? 0 : i + 1;
        }
        int k = i * 4;
        keys[k] = d.w0();
        keys[k + 1] = d.w1();
        keys[k + 2] = d.w2();
        keys[k + 3] = d.w3();
        words[i] = word;
        count++;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldWords = words;
        int oldCapacity = capacity;
        allocate((int) Math.min(Integer.MAX_VALUE - 8, oldCapacity + (long) oldCapacity / 2 + 64));
        for (int s = 0; s < oldCapacity; s++) {
            if (oldWords[s] != 0) {
                int k = s * 4;
                insert(new Digest(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3]), oldWords[s]);
            }
        }
    }

    /** Removes the entry in {@code slot}, shifting later entries of its probe run back (no tombstones). */
    private void removeSlot(int slot) {
        int hole = slot;
        int i = slot;
        while (true) {
            i = i + 1 == capacity ? 0 : i + 1;
            if (words[i] == 0) {
                break;
            }
            int h = home(digestAt(i));
            boolean movable = hole <= i ? (h <= hole || h > i) : (h <= hole && h > i);
            if (movable) {
                System.arraycopy(keys, i * 4, keys, hole * 4, 4);
                words[hole] = words[i];
                hole = i;
            }
        }
        words[hole] = 0;
        Arrays.fill(keys, hole * 4, hole * 4 + 4, 0L);
        count--;
    }

    /** Makes room for {@code chunks} entries at once (at open, when the number is known), so loading never rehashes. */
    public synchronized void ensureCapacity(int chunks) {
        int wanted = (int) Math.min(Integer.MAX_VALUE - 8, (long) (chunks / 0.8) + 64);
        if (wanted <= capacity) {
            return;
        }
        long[] oldKeys = keys;
        long[] oldWords = words;
        int oldCapacity = capacity;
        allocate(wanted);
        for (int s = 0; s < oldCapacity; s++) {
            if (oldWords[s] != 0) {
                int k = s * 4;
                insert(new Digest(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3]), oldWords[s]);
            }
        }
    }

    public synchronized boolean contains(Digest digest) {
        return find(digest) >= 0;
    }

    /**
     * The position and size of a held chunk, marking it used (it will survive the next eviction pass
     * that reaches it); empty if it is not held.
     */
    public synchronized java.util.OptionalLong touch(Digest digest) {
        int s = find(digest);
        if (s < 0) {
            return java.util.OptionalLong.empty();
        }
        words[s] |= REFERENCED;
        return java.util.OptionalLong.of(words[s] & ~REFERENCED);
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
        int s = find(digest);
        if (s >= 0) {
            used -= sizeOf(words[s]);
            words[s] = word(position, size);
        } else {
            insert(digest, word(position, size));
        }
        used += size;
    }

    /**
     * Asks for room for a new chunk of {@code size} bytes. If it is held, pins and touches it.
     * Otherwise evicts what the watermarks require and, if the chunk then fits, reserves its room
     * until {@link #commit} or {@link #abort}. The caller frees the victims' bytes in every case.
     */
    public synchronized Admission admit(Digest digest, int size, PinSet pins) {
        int s = find(digest);
        if (s >= 0) {
            pins.pin(digest);
            words[s] |= REFERENCED;
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
        int s = find(digest);
        if (s >= 0) {
            return position;
        }
        insert(digest, word(position, size));
        used += size;
        return -1;
    }

    /** Gives back room reserved for a put that failed. */
    public synchronized void abort(int size) {
        reserved -= size;
    }

    /** Forgets a chunk; returns its position and size (see {@link #touch}) if it was held. */
    public synchronized java.util.OptionalLong remove(Digest digest) {
        int s = find(digest);
        if (s < 0) {
            return java.util.OptionalLong.empty();
        }
        long w = words[s] & ~REFERENCED;
        used -= sizeOf(w);
        removeSlot(s);
        return java.util.OptionalLong.of(w);
    }

    /**
     * Moves a chunk to {@code newPosition} if it is still at {@code oldPosition} (compaction); returns
     * whether it moved. Its second-chance mark is kept.
     */
    public synchronized boolean relocate(Digest digest, long oldPosition, long newPosition) {
        int s = find(digest);
        if (s < 0 || positionOf(words[s]) != oldPosition) {
            return false;
        }
        words[s] = word(newPosition, sizeOf(words[s])) | (words[s] & REFERENCED);
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

    /** Every held chunk, oldest position first. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(count);
        for (int s = 0; s < capacity; s++) {
            if (words[s] != 0) {
                long w = words[s] & ~REFERENCED;
                out.add(new Entry(digestAt(s), positionOf(w), sizeOf(w)));
            }
        }
        out.sort((a, b) -> {
            int c = Long.compare(positions.segment(a.position()), positions.segment(b.position()));
            return c != 0 ? c : Long.compare(positions.offset(a.position()), positions.offset(b.position()));
        });
        return out;
    }

    /** The digests of every held chunk. */
    public synchronized List<Digest> snapshot() {
        List<Digest> out = new ArrayList<>(count);
        for (int s = 0; s < capacity; s++) {
            if (words[s] != 0) {
                out.add(digestAt(s));
            }
        }
        return out;
    }

    public synchronized StoreStats stats(long corruptFound) {
        return new StoreStats(count, used, capacity(), pinCounts.size(), evictions, corruptFound);
    }

    /** Heap bytes of the table, for benchmarks. */
    public synchronized long tableBytes() {
        return (long) keys.length * 8 + (long) words.length * 8;
    }

    public PinSet newPinSet() {
        return new IndexPinSet();
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

    /**
     * Evicts oldest first until held plus reserved bytes are at most {@code target}, skipping pinned
     * chunks and giving used ones a second chance. Only the oldest segments needed are sorted.
     */
    private List<Victim> evictDownTo(long target) {
        if (used + reserved <= target || count == 0) {
            return List.of();
        }
        List<Victim> victims = new ArrayList<>();
        evictFrom(oldestSegments(2 * (used + reserved - target)), target, victims);
        if (used + reserved > target) {
            evictFrom(null, target, victims);
        }
        return victims;
    }

    /** The oldest segments that together hold at least {@code bytes} bytes. */
    private Set<Long> oldestSegments(long bytes) {
        TreeMap<Long, long[]> bySegment = new TreeMap<>();
        for (int s = 0; s < capacity; s++) {
            if (words[s] != 0) {
                bySegment.computeIfAbsent(positions.segment(positionOf(words[s])), k -> new long[1])[0] += sizeOf(words[s]);
            }
        }
        Set<Long> wanted = new HashSet<>();
        long covered = 0;
        for (Map.Entry<Long, long[]> e : bySegment.entrySet()) {
            wanted.add(e.getKey());
            covered += e.getValue()[0];
            if (covered >= bytes) {
                break;
            }
        }
        return wanted;
    }

    /** One eviction over the chunks of {@code segments} (all when null), oldest first, in two passes. */
    private void evictFrom(Set<Long> segments, long target, List<Victim> victims) {
        List<long[]> candidates = new ArrayList<>();
        for (int s = 0; s < capacity; s++) {
            if (words[s] != 0) {
                long p = positionOf(words[s]);
                long seg = positions.segment(p);
                if (segments == null || segments.contains(seg)) {
                    candidates.add(new long[] {seg, positions.offset(p), s});
                }
            }
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<Digest> doomed = new ArrayList<>();
        for (int pass = 0; pass < 2 && used + reserved > target; pass++) {
            for (long[] c : candidates) {
                if (used + reserved <= target) {
                    break;
                }
                int s = (int) c[2];
                long w = words[s];
                if (w == DOOMED) {
                    continue;
                }
                Digest d = digestAt(s);
                if (pinCounts.containsKey(d)) {
                    continue;
                }
                if ((w & REFERENCED) != 0) {
                    words[s] = w & ~REFERENCED;
                    continue;
                }
                used -= sizeOf(w);
                evictions++;
                victims.add(new Victim(d, positionOf(w), sizeOf(w)));
                doomed.add(d);
                words[s] = DOOMED;
            }
        }
        for (Digest d : doomed) {
            removeSlot(find(d));
        }
    }

    private final class IndexPinSet implements PinSet {
        private final Set<Digest> pinned = new HashSet<>();
        private boolean closed;

        @Override
        public void pin(Digest digest) {
            synchronized (ChunkIndex.this) {
                if (closed) {
                    throw new IllegalStateException("pin set is closed");
                }
                if (pinned.add(digest)) {
                    pinCounts.merge(digest, 1, Integer::sum);
                }
            }
        }

        @Override
        public int size() {
            synchronized (ChunkIndex.this) {
                return pinned.size();
            }
        }

        @Override
        public void close() {
            synchronized (ChunkIndex.this) {
                if (closed) {
                    return;
                }
                closed = true;
                for (Digest d : pinned) {
                    pinCounts.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1);
                }
                pinned.clear();
            }
        }
    }
}
