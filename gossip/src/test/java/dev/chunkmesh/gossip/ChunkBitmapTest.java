package dev.chunkmesh.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkBitmapTest {
    @Test
    void tracksChunksAndRoundTripsThroughBytes() {
        ChunkBitmap b = ChunkBitmap.empty(100).with(0).with(99).with(50);
        assertEquals(3, b.count());
        assertTrue(b.has(99));
        assertFalse(b.has(98));
        assertFalse(b.complete());
        assertEquals(b, ChunkBitmap.fromBytes(100, b.toBytes()));
        assertTrue(ChunkBitmap.full(7).complete());
        assertTrue(ChunkBitmap.full(0).complete());
    }

    @Test
    void refusesChunksOutsideTheRecipe() {
        assertThrows(IndexOutOfBoundsException.class, () -> ChunkBitmap.empty(5).with(5));
        assertThrows(IllegalArgumentException.class, () -> ChunkBitmap.fromBytes(5, ChunkBitmap.full(9).toBytes()));
    }

    @Test
    void namesFollowTheGrammar() {
        assertThrows(IllegalArgumentException.class, () -> new NodeId("Node_1"));
        assertThrows(IllegalArgumentException.class, () -> new PopId("-pop"));
        assertThrows(IllegalArgumentException.class, () -> new NodeInfo(new NodeId("h"), new PopId("hub"), Tier.MICRO_HUB,
                Optional.empty(), "h:1"));
        assertEquals("fra-1", new PopId("fra-1").name());
    }
}
