package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkFrameTest {

    @Test
    void compressesChunksThatShrink() {
        byte[] raw = TestData.compressible(1, 64 * 1024);
        byte[] frame = ChunkFrame.encode(raw);
        assertEquals(ChunkFrame.ZSTD, frame[1]);
        assertTrue(frame.length < raw.length * 3 / 4, "frame " + frame.length);
        assertArrayEquals(raw, ChunkFrame.decode(Digest.sha256(raw), frame));
    }

    @Test
    void keepsIncompressibleChunksRaw() {
        byte[] raw = TestData.splitMix(2, 64 * 1024);
        byte[] frame = ChunkFrame.encode(raw);
        assertEquals(ChunkFrame.RAW, frame[1]);
        assertEquals(raw.length + ChunkFrame.HEADER_SIZE, frame.length);
        assertArrayEquals(raw, ChunkFrame.decode(Digest.sha256(raw), frame));
    }

    @Test
    void encodesASliceOfABuffer() {
        byte[] buf = TestData.compressible(3, 10_000);
        byte[] frame = ChunkFrame.encode(buf, 1000, 5000);
        byte[] expected = Arrays.copyOfRange(buf, 1000, 6000);
        assertArrayEquals(expected, ChunkFrame.decode(Digest.sha256(expected), frame));
        assertEquals(5000, ChunkFrame.rawLength(frame));
    }

    @Test
    void detectsAFlippedBitInEveryPartOfTheFrame() {
        for (byte[] raw : new byte[][] {TestData.compressible(4, 20_000), TestData.splitMix(5, 20_000)}) {
            Digest d = Digest.sha256(raw);
            byte[] frame = ChunkFrame.encode(raw);
            for (int pos = 0; pos < frame.length; pos += 97) {
                byte[] bad = frame.clone();
                bad[pos] ^= 0x10;
                ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> ChunkFrame.decode(d, bad),
                        "flip at " + pos + " went unnoticed");
                assertEquals(d, e.expected());
            }
        }
    }

    @Test
    void refusesFramesThatAreNotFrames() {
        Digest d = Digest.sha256(new byte[] {1});
        assertThrows(ChunkCorruptException.class, () -> ChunkFrame.decode(d, new byte[0]));
        assertThrows(ChunkCorruptException.class, () -> ChunkFrame.decode(d, new byte[] {1, 0, 0, 0, 0, 1, 1}));
        byte[] truncated = Arrays.copyOf(ChunkFrame.encode(TestData.compressible(6, 5000)), 40);
        assertThrows(ChunkCorruptException.class, () -> ChunkFrame.decode(d, truncated));
    }

    @Test
    void refusesAHeaderClaimingMoreThanTheLargestChunk() {
        byte[] frame = {(byte) 0xC7, 1, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0};
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class,
                () -> ChunkFrame.decode(Digest.sha256(new byte[] {1}), frame));
        assertTrue(e.getMessage().contains("largest chunk"), e.getMessage());
    }

    @Test
    void detectsBytesThatDecodeToAnotherChunk() {
        byte[] raw = TestData.splitMix(7, 1000);
        Digest other = Digest.sha256(TestData.splitMix(8, 1000));
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> ChunkFrame.decode(other, ChunkFrame.encode(raw)));
        assertEquals(Digest.sha256(raw), e.actual().orElseThrow());
    }

    private static ByteBuffer offHeap(byte[] frame) {
        ByteBuffer b = ByteBuffer.allocateDirect(frame.length + 10);
        b.position(10);
        b.put(frame).flip().position(10);
        return b.slice();
    }

    @Test
    void aFrameHeldOffHeapDecodesOffHeapToTheSameBytes() {
        for (byte[] raw : new byte[][] {TestData.compressible(9, 70_000), TestData.splitMix(9, 70_000)}) {
            Digest d = Digest.sha256(raw);
            ByteBuffer view = ChunkFrame.rawView(d, offHeap(ChunkFrame.encode(raw)));
            assertTrue(view.isDirect(), "ready for a socket without a copy");
            byte[] got = new byte[view.remaining()];
            view.get(got);
            assertArrayEquals(raw, got);
        }
    }

    @Test
    void aDamagedFrameHeldOffHeapIsCorrupt() {
        byte[] raw = TestData.compressible(10, 20_000);
        byte[] frame = ChunkFrame.encode(raw);
        assertEquals(1, frame[1], "compressed");
        byte[] cut = Arrays.copyOf(frame, frame.length - 100);
        assertThrows(ChunkCorruptException.class, () -> ChunkFrame.rawView(Digest.sha256(raw), offHeap(cut)));
        byte[] longer = frame.clone();
        longer[2] = 0x7f;
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> ChunkFrame.rawView(Digest.sha256(raw), offHeap(longer)));
        assertTrue(e.getMessage().contains("largest chunk"), e.getMessage());
    }
}
