package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.ChunkStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The segments of a store by slot. A position is {@code slot << 24 | offset / 8}: at most
 * {@value #SLOTS} segments of at most 128 MiB each (2 TiB). Thread-safe.
 */
final class SegmentTable implements ChunkIndex.Positions {
    static final int SLOTS = 1 << 14;
    static final long MAX_SEGMENT_BYTES = 128L << 20;
    private final Path dir;
    private final Segment[] slots = new Segment[SLOTS];
    private long nextSequence = 1;
    private int nextSlot;

    SegmentTable(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    static long position(int slot, long offset) {
        return ((long) slot << 24) | (offset >>> 3);
    }

    static int slotOf(long position) {
        return (int) (position >>> 24);
    }

    static long offsetOf(long position) {
        return (position & 0xFFFFFF) << 3;
    }

    @Override
    public long segment(long position) {
        Segment s = get(slotOf(position));
        return s == null ? Long.MAX_VALUE : s.sequence;
    }

    @Override
    public long offset(long position) {
        return position & 0xFFFFFF;
    }

    synchronized Segment get(int slot) {
        return slots[slot];
    }

    /** Takes in a segment found at open. */
    synchronized Segment adopt(Path file, long sequence) throws IOException {
        int slot = freeSlot();
        Segment s = Segment.open(file, sequence, slot);
        slots[slot] = s;
        nextSequence = Math.max(nextSequence, sequence + 1);
        return s;
    }

    /** A new, empty segment after every other; its file exists durably when this returns. */
    synchronized Segment create() throws IOException {
        int slot = freeSlot();
        Segment s = Segment.create(dir, nextSequence++, slot);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        slots[slot] = s;
        return s;
    }

    /** Forgets a segment and deletes its file once no read uses it. */
    synchronized void drop(Segment s) {
        if (slots[s.slot] == s) {
            slots[s.slot] = null;
            s.retire();
        }
    }

    /** Every segment, oldest first. */
    synchronized List<Segment> all() {
        List<Segment> out = new ArrayList<>();
        for (Segment s : slots) {
            if (s != null) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(s -> s.sequence));
        return out;
    }

    /** Closes every segment file (the store is closing). */
    synchronized void closeAll() {
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] != null) {
                slots[i].close();
                slots[i] = null;
            }
        }
    }

    private int freeSlot() {
        for (int i = 0; i < SLOTS; i++) {
            int slot = (nextSlot + i) % SLOTS;
            if (slots[slot] == null) {
                nextSlot = slot + 1;
                return slot;
            }
        }
        throw new ChunkStoreException("the store has " + SLOTS + " segments open, its most; it cannot grow past "
                + (SLOTS * MAX_SEGMENT_BYTES >> 30) + " GiB");
    }
}
