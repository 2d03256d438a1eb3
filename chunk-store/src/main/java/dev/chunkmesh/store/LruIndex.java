package dev.chunkmesh.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory index of a store: which chunks it holds, their stored sizes in least-recently-used
 * order, pins, and space reserved by puts still being written. It decides eviction; the store deletes
 * the bytes. Thread-safe: every method runs under this object's monitor.
 */
final class LruIndex {

    record Victim(Digest digest, long size) {}

    /** The outcome of asking for room: already held, or room made (or not) after evicting victims. */
    record Admission(boolean alreadyHeld, boolean fits, List<Victim> victims) {}

    private final StoreLimits limits;
    private final LinkedHashMap<Digest, Long> sizes = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<Digest, Integer> pinCounts = new HashMap<>();
    private long used;
    private long reserved;
    private long evictions;
    /** What the device was found to hold when it ran out of space; {@code Long.MAX_VALUE} until then. */
    private long deviceCeiling = Long.MAX_VALUE;

    LruIndex(StoreLimits limits) {
        this.limits = limits;
    }

    synchronized boolean contains(Digest digest) {
        return sizes.containsKey(digest);
    }

    /** Marks the chunk as just used; false if it is not held. */
    synchronized boolean touch(Digest digest) {
        return sizes.get(digest) != null;
    }

    /** Adds a chunk found on disk at start, oldest first; no eviction. */
    synchronized void load(Digest digest, long size) {
        if (sizes.put(digest, size) == null) {
            used += size;
        }
    }

    /**
     * Asks for room for a new chunk of {@code size} bytes. If it is held, pins and touches it. Otherwise
     * evicts what the watermarks require and, if the chunk then fits, reserves its room until
     * {@link #commit} or {@link #abort}. The caller must delete the victims' bytes in every case.
     */
    synchronized Admission admit(Digest digest, long size, PinSet pins) {
        if (sizes.get(digest) != null) {
            pins.pin(digest);
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

    /** Records a reserved chunk as stored and pins it in {@code pins}. */
    synchronized void commit(Digest digest, long size, PinSet pins) {
        reserved -= size;
        if (sizes.put(digest, size) == null) {
            used += size;
        }
        pins.pin(digest);
    }

    /** Gives back room reserved for a put that failed. */
    synchronized void abort(long size) {
        reserved -= size;
    }

    /** Forgets a chunk; returns whether it was held. */
    synchronized boolean remove(Digest digest) {
        Long size = sizes.remove(digest);
        if (size != null) {
            used -= size;
            return true;
        }
        return false;
    }

    /** Evicts down to the low watermark if the store is above the high one (after a restart). */
    synchronized List<Victim> evictIfAboveHigh() {
        return used + reserved > highBytes() ? evictDownTo(lowBytes()) : List.of();
    }

    /**
     * The device ran out of space with the store below its configured capacity: from now on the store
     * treats what it holds now as its capacity, and evicts down to the low watermark of that (plus
     * {@code size} bytes of room for the put that failed).
     */
    synchronized List<Victim> deviceFull(long size) {
        deviceCeiling = Math.max(1, used + reserved);
        return evictDownTo(lowBytes() - size);
    }

    /** Whether a full device lowered the capacity below the configured one. */
    synchronized boolean ceilingLowered() {
        return deviceCeiling != Long.MAX_VALUE;
    }

    /**
     * Space came free on the device: the capacity becomes what is held plus {@code freeBytes}, and the
     * configured capacity again once that reaches it.
     */
    synchronized void deviceRoom(long freeBytes) {
        long room = used + reserved + Math.max(0, freeBytes);
        deviceCeiling = room >= limits.capacityBytes() ? Long.MAX_VALUE : Math.max(deviceCeiling, room);
    }

    /** Every held chunk with its size, least recently used first. */
    synchronized List<Victim> entriesOldestFirst() {
        List<Victim> out = new ArrayList<>(sizes.size());
        sizes.forEach((d, s) -> out.add(new Victim(d, s)));
        return out;
    }

    synchronized List<Digest> snapshot() {
        return new ArrayList<>(sizes.keySet());
    }

    synchronized StoreStats stats(long corruptFound) {
        return new StoreStats(sizes.size(), used, capacity(), pinCounts.size(), evictions, corruptFound);
    }

    PinSet newPinSet() {
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

    private List<Victim> evictDownTo(long target) {
        List<Victim> victims = new ArrayList<>();
        Iterator<Map.Entry<Digest, Long>> it = sizes.entrySet().iterator();
        while (used + reserved > target && it.hasNext()) {
            Map.Entry<Digest, Long> e = it.next();
            if (pinCounts.containsKey(e.getKey())) {
                continue;
            }
            it.remove();
            used -= e.getValue();
            evictions++;
            victims.add(new Victim(e.getKey(), e.getValue()));
        }
        return victims;
    }

    private final class IndexPinSet implements PinSet {
        private final Set<Digest> pinned = new HashSet<>();
        private boolean closed;

        @Override
        public void pin(Digest digest) {
            synchronized (LruIndex.this) {
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
            synchronized (LruIndex.this) {
                return pinned.size();
            }
        }

        @Override
        public void close() {
            synchronized (LruIndex.this) {
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
