package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LruIndexDeviceCeilingTest {

    private static Digest chunk(int i) {
        return Digest.sha256(TestData.splitMix(i, 16));
    }

    private static LruIndex holding(int chunks, long size) {
        LruIndex index = new LruIndex(StoreLimits.ofCapacity(1_000_000));
        for (int i = 0; i < chunks; i++) {
            LruIndex.Admission a = index.admit(chunk(i), size, PinSet.NONE);
            assertTrue(a.fits());
            index.commit(chunk(i), size, PinSet.NONE);
        }
        return index;
    }

    @Test
    void aFullDeviceMakesWhatIsHeldTheCapacityAndEvictsTheOldestDownToItsLowWatermark() {
        LruIndex index = holding(10, 1000);
        List<LruIndex.Victim> victims = index.deviceFull(1000);
        assertTrue(index.ceilingLowered());
        assertEquals(10_000, index.stats(0).capacityBytes());
        assertEquals(chunk(0), victims.get(0).digest(), "least recently used first");
        assertEquals(7, index.stats(0).chunks(), "down to 80 % of 10,000 bytes with room for the failed put");
    }

    @Test
    void pinnedChunksAreNotEvictedWhenTheDeviceIsFull() {
        LruIndex index = new LruIndex(StoreLimits.ofCapacity(1_000_000));
        PinSet pins = index.newPinSet();
        for (int i = 0; i < 5; i++) {
            index.admit(chunk(i), 1000, pins);
            index.commit(chunk(i), 1000, pins);
        }
        assertTrue(index.deviceFull(1000).isEmpty());
        assertFalse(index.admit(chunk(99), 1000, PinSet.NONE).fits(), "no room and nothing to evict");
    }

    @Test
    void roomOnTheDeviceRaisesTheCapacityUpToTheConfiguredOne() {
        LruIndex index = holding(10, 1000);
        index.deviceFull(0);
        long low = index.stats(0).capacityBytes();
        index.deviceRoom(5_000);
        assertEquals(index.stats(0).usedBytes() + 5_000, index.stats(0).capacityBytes());
        assertTrue(index.stats(0).capacityBytes() >= low);
        index.deviceRoom(10_000_000);
        assertFalse(index.ceilingLowered());
        assertEquals(1_000_000, index.stats(0).capacityBytes());
    }
}
