package dev.chunkmesh.gossip;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which chunks of one blob's recipe a node holds, by chunk index: an immutable bitmap of fixed length.
 * It is the unit of partial-holding gossip: one per (node, blob), never one entry per chunk.
 */
public final class ChunkBitmap {
    private final int length;
    private final BitSet bits;

    private ChunkBitmap(int length, BitSet bits) {
        this.length = length;
        this.bits = bits;
    }

    public static ChunkBitmap empty(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a bitmap length cannot be negative");
        }
        return new ChunkBitmap(length, new BitSet(length));
    }

    public static ChunkBitmap full(int length) {
        BitSet b = new BitSet(length);
        b.set(0, length);
        return new ChunkBitmap(length, b);
    }

    /** A bitmap of {@code length} chunks with the bits of {@code set} (copied); refuses bits beyond {@code length}. */
    public static ChunkBitmap of(int length, BitSet set) {
        return fromBytes(length, set.toByteArray());
    }

    /** Restores a bitmap from {@link #toBytes}; refuses bits beyond {@code length}. */
    public static ChunkBitmap fromBytes(int length, byte[] bytes) {
        BitSet b = BitSet.valueOf(bytes);
        if (b.length() > length) {
            throw new IllegalArgumentException("bitmap has chunk " + (b.length() - 1) + " set but the recipe has " + length + " chunks");
        }
        return new ChunkBitmap(length, b);
    }

    public byte[] toBytes() {
        return bits.toByteArray();
    }

    public int length() {
        return length;
    }

    public boolean has(int chunk) {
        check(chunk);
        return bits.get(chunk);
    }

    /** A copy with {@code chunk} set. */
    public ChunkBitmap with(int chunk) {
        check(chunk);
        BitSet b = (BitSet) bits.clone();
        b.set(chunk);
        return new ChunkBitmap(length, b);
    }

    /** The first chunk at or after {@code from} that this bitmap holds, or -1 if none. */
    public int nextHeld(int from) {
        return bits.nextSetBit(from);
    }

    /** Whether this bitmap holds any chunk set in {@code chunks}. */
    public boolean intersects(BitSet chunks) {
        return bits.intersects(chunks);
    }

    /** Sets in {@code target} every chunk this bitmap holds, leaving its other bits as they were. */
    public void addTo(BitSet target) {
        target.or(bits);
    }

    public int count() {
        return bits.cardinality();
    }

    public boolean complete() {
        return bits.cardinality() == length;
    }

    private void check(int chunk) {
        if (chunk < 0 || chunk >= length) {
            throw new IndexOutOfBoundsException("chunk " + chunk + " of a " + length + "-chunk recipe");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkBitmap c && c.length == length && c.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return 31 * length + bits.hashCode();
    }

    @Override
    public String toString() {
        return "ChunkBitmap[" + count() + "/" + length + "]" + (length <= 64 ? Arrays.toString(bits.stream().toArray()) : "");
    }
}
