package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkIndexTest {

    /** Positions are insertion numbers, 4 to a segment. */
    private static final ChunkIndex.Positions POSITIONS = new ChunkIndex.Positions() {
        @Override
        public long segment(long position) {
            return position / 4;
        }

        @Override
        public long offset(long position) {
            return position % 4;
        }
    };
    private static long next;

    private static ChunkIndex index(long capacity) {
        return new ChunkIndex(StoreLimits.ofCapacity(capacity), POSITIONS, 16);
    }

    private static void store(ChunkIndex index, Digest d, int size, PinSet pins) {
        assertTrue(index.admit(d, size, pins).fits());
        assertEquals(-1, index.commit(d, next++, size, pins));
    }

    private static Digest chunk(int i) {
        return Digest.sha256(TestData.splitMix(i, 16));
    }

    private static ChunkIndex holding(int chunks, int size) {
        ChunkIndex index = index(1_000_000);
        for (int i = 0; i < chunks; i++) {
            store(index, chunk(i), size, PinSet.NONE);
        }
        return index;
    }

    @Test
    void aFullDeviceMakesWhatIsHeldTheCapacityAndEvictsTheOldestDownToItsLowWatermark() {
        ChunkIndex index = holding(10, 1000);
        List<ChunkIndex.Victim> victims = index.deviceFull(1000);
        assertTrue(index.ceilingLowered());
        assertEquals(10_000, index.stats(0).capacityBytes());
        assertEquals(chunk(0), victims.get(0).digest(), "oldest first");
        assertEquals(7, index.stats(0).chunks(), "down to 80 % of 10,000 bytes with room for the failed put");
    }

    @Test
    void pinnedChunksAreNotEvictedWhenTheDeviceIsFull() {
        ChunkIndex index = index(1_000_000);
        PinSet pins = index.newPinSet();
        for (int i = 0; i < 5; i++) {
            store(index, chunk(i), 1000, pins);
        }
        assertTrue(index.deviceFull(1000).isEmpty());
        assertFalse(index.admit(chunk(99), 1000, PinSet.NONE).fits(), "no room and nothing to evict");
    }

    @Test
    void roomOnTheDeviceRaisesTheCapacityUpToTheConfiguredOne() {
        ChunkIndex index = holding(10, 1000);
        index.deviceFull(0);
        long low = index.stats(0).capacityBytes();
        index.deviceRoom(5_000);
        assertEquals(index.stats(0).usedBytes() + 5_000, index.stats(0).capacityBytes());
        assertTrue(index.stats(0).capacityBytes() >= low);
        index.deviceRoom(10_000_000);
        assertFalse(index.ceilingLowered());
        assertEquals(1_000_000, index.stats(0).capacityBytes());
    }

    @Test
    void holdsAHundredThousandChunksInPrimitiveArraysAndFindsEachAfterRemovals() {
        ChunkIndex index = index(Long.MAX_VALUE);
        for (int i = 0; i < 100_000; i++) {
            store(index, chunk(i), 100 + i % 50, PinSet.NONE);
        }
        for (int i = 0; i < 100_000; i += 3) {
            assertTrue(index.remove(chunk(i)).isPresent());
        }
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i % 3 != 0, index.contains(chunk(i)), "chunk " + i);
        }
        assertTrue(index.tableBytes() / index.stats(0).chunks() < 100, "bytes per chunk: " + index.tableBytes() / index.stats(0).chunks());
    }

    @Test
    void aChunkReadSinceItWasStoredGetsASecondChanceAndAnEvictionTakesWholeOldSegmentsFirst() {
        ChunkIndex index = new ChunkIndex(new StoreLimits(10_000, 0.9, 0.5), POSITIONS, 16);
        for (int i = 0; i < 9; i++) {
            store(index, chunk(i), 1000, PinSet.NONE);
        }
        index.touch(chunk(1));
        List<ChunkIndex.Victim> victims = index.admit(chunk(50), 1000, PinSet.NONE).victims();
        assertEquals(List.of(chunk(0), chunk(2), chunk(3), chunk(4), chunk(5)), victims.stream().map(ChunkIndex.Victim::digest).toList());
        assertTrue(index.contains(chunk(1)));
    }

    @Test
    void aCompactedChunkMovesOnlyIfNothingChangedItMeanwhile() {
        ChunkIndex index = index(10_000);
        store(index, chunk(1), 1000, PinSet.NONE);
        long at = ChunkIndex.position(index.touch(chunk(1)).getAsLong());
        assertTrue(index.relocate(chunk(1), at, 77));
        assertEquals(77, ChunkIndex.position(index.touch(chunk(1)).getAsLong()));
        assertFalse(index.relocate(chunk(1), at, 78), "a stale move is refused");
    }
}
