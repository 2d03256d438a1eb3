package dev.chunkmesh.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.ChunkStoreContract;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TestData;
import org.junit.jupiter.api.Test;

class InMemoryChunkStoreTest extends ChunkStoreContract {

    @Override
    protected ChunkStore newStore(StoreLimits limits) {
        return new InMemoryChunkStore(limits);
    }

    @Test
    void dropsAChunkWhoseFrameWasDamaged() {
        InMemoryChunkStore store = new InMemoryChunkStore();
        Digest d = store.put(TestData.splitMix(1, 4000));
        byte[] frame = store.getFrame(d);
        frame[100] ^= 1;
        store.corruptForTest(d, frame);
        assertThrows(ChunkCorruptException.class, () -> store.get(d));
        assertFalse(store.has(d));
        assertEquals(1, store.stats().corruptFound());
    }
}
