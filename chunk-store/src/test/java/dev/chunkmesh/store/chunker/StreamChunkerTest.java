package dev.chunkmesh.store.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.TestData;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamChunkerTest {

    private record Piece(long offset, int length, Digest digest) {}

    private static List<Piece> chunk(ChunkerParams p, InputStream in) throws IOException {
        List<Piece> out = new ArrayList<>();
        new StreamChunker(p).chunk(in, (off, buf, start, len) -> out.add(new Piece(off, len, Digest.sha256(buf, start, len))));
        return out;
    }

    private static List<Piece> whole(ChunkerParams p, byte[] data) {
        FastCdc cdc = new FastCdc(p);
        List<Piece> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int len = cdc.cut(data, pos, data.length - pos).length();
            out.add(new Piece(pos, len, Digest.sha256(data, pos, len)));
            pos += len;
        }
        return out;
    }

    /** A stream that hands out at most a few random bytes per read. */
    private static InputStream trickle(byte[] data, long seed) {
        Random r = new Random(seed);
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(7000)));
            }
        };
    }

    @Test
    void streamingGivesTheSameChunksAsTheWholeBuffer() throws IOException {
        ChunkerParams p = ChunkerParams.DEFAULTS;
        byte[] data = TestData.splitMix(11, 5_000_123);
        assertEquals(whole(p, data), chunk(p, new ByteArrayInputStream(data)));
        assertEquals(whole(p, data), chunk(p, trickle(data, 1)));
    }

    @Test
    void smallParametersStreamTheSameToo() throws IOException {
        ChunkerParams p = new ChunkerParams(64, 256, 1024, 2);
        byte[] data = TestData.compressible(12, 300_000);
        assertEquals(whole(p, data), chunk(p, trickle(data, 2)));
    }

    @Test
    void anEmptyStreamHasNoChunks() throws IOException {
        assertEquals(List.of(), chunk(ChunkerParams.DEFAULTS, new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void chunksStayWithinTheirBounds() throws IOException {
        ChunkerParams p = ChunkerParams.DEFAULTS;
        List<Piece> pieces = chunk(p, new ByteArrayInputStream(TestData.splitMix(13, 8_000_000)));
        for (int i = 0; i < pieces.size() - 1; i++) {
            assertTrue(pieces.get(i).length() >= p.minSize() && pieces.get(i).length() <= p.maxSize());
        }
    }

    @Test
    void anInsertionNearTheStartLeavesLaterChunksUnchanged() throws IOException {
        ChunkerParams p = ChunkerParams.DEFAULTS;
        byte[] v1 = TestData.splitMix(14, 6_000_000);
        byte[] v2 = new byte[v1.length + 1000];
        System.arraycopy(v1, 0, v2, 0, 100_000);
        System.arraycopy(TestData.splitMix(15, 1000), 0, v2, 100_000, 1000);
        System.arraycopy(v1, 100_000, v2, 101_000, v1.length - 100_000);
        Set<Digest> before = new HashSet<>();
        chunk(p, new ByteArrayInputStream(v1)).forEach(c -> before.add(c.digest()));
        List<Piece> after = chunk(p, new ByteArrayInputStream(v2));
        long reused = after.stream().filter(c -> before.contains(c.digest())).count();
        assertTrue(reused >= after.size() - 3, "only the chunks around the edit should change: " + reused + " of " + after.size());
    }
}
