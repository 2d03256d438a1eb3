package dev.chunkmesh.store;

import java.util.Arrays;

/**
 * The open-addressing hash table under {@link ChunkIndex}: per slot the chunk's digest (four longs in
 * {@code keys}) and one word (0 for an empty slot), linear probing from a home slot spread over any
 * table size, removal by shifting the rest of a probe run back (no tombstones), growth by a quarter
 * when more than 85 % full. Not thread-safe: its owner locks.
 */
final class SlotTable {
    private static final double MAX_LOAD = 0.85;
    /** How full a table made for a known number of chunks starts: a little room before it must grow. */
    private static final double OPEN_LOAD = 0.84;

    long[] keys;
    /** One word per slot; 0 marks an empty slot, so a stored word is never 0. */
    long[] words;
    private int capacity;
    private int count;

    SlotTable(int expectedChunks) {
        allocate(Math.max(64, (int) Math.min(Integer.MAX_VALUE - 8, (long) (expectedChunks / 0.8) + 64)));
    }

    int capacity() {
        return capacity;
    }

    int count() {
        return count;
    }

    /** Heap bytes of the arrays. */
    long bytes() {
        return (long) keys.length * 8 + (long) words.length * 8;
    }

    private void allocate(int slots) {
        capacity = slots;
        keys = new long[slots * 4];
        words = new long[slots];
        count = 0;
    }

    private int home(Digest d) {
        return (int) (((d.w0() >>> 32) * capacity) >>> 32);
    }

    private boolean keyAt(int slot, Digest d) {
        int k = slot * 4;
        return keys[k] == d.w0() && keys[k + 1] == d.w1() && keys[k + 2] == d.w2() && keys[k + 3] == d.w3();
    }

    Digest digestAt(int slot) {
        int k = slot * 4;
        return new Digest(keys[k], keys[k + 1], keys[k + 2], keys[k + 3]);
    }

    /** The slot of {@code d}, or -1. */
    int find(Digest d) {
        int i = home(d);
        while (words[i] != 0) {
            if (keyAt(i, d)) {
                return i;
            }
            i = i + 1 == capacity ? 0 : i + 1;
        }
        return -1;
    }

    void insert(Digest d, long word) {
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
        rehash((int) Math.min(Integer.MAX_VALUE - 8, capacity + (long) capacity / 4 + 64));
    }

    /** Removes the entry in {@code slot}, shifting later entries of its probe run back (no tombstones). */
    void remove(int slot) {
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

    /** Grows to hold {@code chunks} entries without growing again. */
    void ensureCapacity(int chunks) {
        int wanted = (int) Math.min(Integer.MAX_VALUE - 8, (long) (chunks / OPEN_LOAD) + 64);
        if (wanted <= capacity) {
            return;
        }
        rehash(wanted);
    }

    private void rehash(int slots) {
        long[] oldKeys = keys;
        long[] oldWords = words;
        int oldCapacity = capacity;
        allocate(slots);
        for (int s = 0; s < oldCapacity; s++) {
            if (oldWords[s] != 0) {
                int k = s * 4;
                insert(new Digest(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3]), oldWords[s]);
            }
        }
    }
}
