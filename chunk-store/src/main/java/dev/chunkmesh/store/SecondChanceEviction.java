package dev.chunkmesh.store;

import dev.chunkmesh.store.ChunkIndex.Positions;
import dev.chunkmesh.store.ChunkIndex.Victim;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The eviction of {@link ChunkIndex}: first in, first out by position (oldest segment first), with a
 * second chance for a chunk read since it was stored or since its last second chance; pinned chunks
 * are skipped. Victims are removed from the table. Not thread-safe: the index calls it under its monitor.
 */
final class SecondChanceEviction {

    /** Marks a slot evicted during one eviction, until the slots are removed after it. */
    private static final long DOOMED = -1L;

    private final SlotTable table;
    private final Positions positions;
    private final Set<Digest> pinned;

    /** @param pinned the digests never to evict, read at each eviction */
    SecondChanceEviction(SlotTable table, Positions positions, Set<Digest> pinned) {
        this.table = table;
        this.positions = positions;
        this.pinned = pinned;
    }

    /**
     * Removes chunks oldest first until their sizes add up to at least {@code excess} bytes or no
     * more can go; returns them. Only the oldest segments needed are sorted first.
     */
    List<Victim> evict(long excess) {
        List<Victim> victims = new ArrayList<>();
        long left = evictFrom(oldestSegments(2 * excess), excess, victims);
        if (left > 0) {
            evictFrom(null, left, victims);
        }
        return victims;
    }

    /** The oldest segments that together hold at least {@code bytes} bytes. */
    private Set<Long> oldestSegments(long bytes) {
        TreeMap<Long, long[]> bySegment = new TreeMap<>();
        for (int s = 0; s < table.capacity(); s++) {
            if (table.words[s] != 0) {
                bySegment.computeIfAbsent(positions.segment(ChunkIndex.position(table.words[s])), k -> new long[1])[0]
                        += ChunkIndex.size(table.words[s]);
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

    /**
     * One eviction over the chunks of {@code segments} (all when null), oldest first, in two passes;
     * returns how many of the {@code excess} bytes are still to free.
     */
    private long evictFrom(Set<Long> segments, long excess, List<Victim> victims) {
        List<long[]> candidates = new ArrayList<>();
        for (int s = 0; s < table.capacity(); s++) {
            if (table.words[s] != 0) {
                long p = ChunkIndex.position(table.words[s]);
                long seg = positions.segment(p);
                if (segments == null || segments.contains(seg)) {
                    candidates.add(new long[] {seg, positions.offset(p), s});
                }
            }
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<Digest> doomed = new ArrayList<>();
        long left = excess;
        for (int pass = 0; pass < 2 && left > 0; pass++) {
            for (long[] c : candidates) {
                if (left <= 0) {
                    break;
                }
                int s = (int) c[2];
                long w = table.words[s];
                if (w == DOOMED) {
                    continue;
                }
                Digest d = table.digestAt(s);
                if (pinned.contains(d)) {
                    continue;
                }
                if ((w & ChunkIndex.REFERENCED) != 0) {
                    table.words[s] = w & ~ChunkIndex.REFERENCED;
                    continue;
                }
                left -= ChunkIndex.size(w);
                victims.add(new Victim(d, ChunkIndex.position(w), ChunkIndex.size(w)));
                doomed.add(d);
                table.words[s] = DOOMED;
            }
        }
        for (Digest d : doomed) {
            table.remove(table.find(d));
        }
        return left;
    }
}
