package dev.chunkmesh.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.Digest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {

    private static byte[] raw(int seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static Buffer answer(List<byte[]> raws) {
        Buffer out = Buffer.buffer();
        for (byte[] r : raws) {
            byte[] frame = ChunkFrame.encode(r);
            out.appendBytes(Digest.sha256(r).bytes()).appendInt(frame.length).appendBytes(frame);
        }
        return out;
    }

    private static HashSet<Digest> digests(List<byte[]> raws) {
        HashSet<Digest> out = new HashSet<>();
        raws.forEach(r -> out.add(Digest.sha256(r)));
        return out;
    }

    /** Feeds {@code body} in pieces of random sizes, as a socket would deliver it. */
    private static BatchSplitter feed(BatchSplitter s, Buffer body, long seed, int maxPiece) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int pos = 0; pos < body.length(); ) {
            int n = Math.min(body.length() - pos, 1 + random.nextInt(maxPiece));
            s.write(body.slice(pos, pos + n));
            pos += n;
        }
        return s;
    }

    @Test
    void framesComeOutWholeWhereverTheBodyIsCut() {
        List<byte[]> raws = List.of(raw(1, 70_000), raw(2, 1), raw(3, 300_000), new byte[50_000]);
        Buffer body = answer(raws);
        for (int maxPiece : new int[] {1, 7, 36, 37, 4096, 1 << 20}) {
            Map<Digest, byte[]> frames = feed(new BatchSplitter("p", digests(raws)), body, maxPiece, maxPiece).frames();
            assertEquals(new ArrayList<>(frames.keySet()), raws.stream().map(Digest::sha256).toList(), "in the order sent");
            for (byte[] r : raws) {
                assertArrayEquals(r, ChunkFrame.decode(Digest.sha256(r), frames.get(Digest.sha256(r))), "pieces of at most " + maxPiece);
            }
        }
    }

    @Test
    void anEmptyAnswerHoldsNoFrame() {
        assertTrue(new BatchSplitter("p", digests(List.of(raw(1, 10)))).frames().isEmpty());
    }

    @Test
    void aChunkThatWasNotAskedForFailsTheBatch() {
        Buffer body = answer(List.of(raw(1, 1000), raw(2, 1000)));
        BatchSplitter s = feed(new BatchSplitter("p", digests(List.of(raw(1, 1000)))), body, 1, 500);
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, s::frames);
        assertTrue(e.getMessage().contains("not asked for"), e.getMessage());
    }

    @Test
    void anAnswerCutInsideARecordIsTruncated() {
        List<byte[]> raws = List.of(raw(1, 1000));
        Buffer body = answer(raws);
        for (int cut : new int[] {5, 36, body.length() - 1}) {
            BatchSplitter s = feed(new BatchSplitter("p", digests(raws)), body.slice(0, cut), 2, 100);
            PeerUnavailableException e = assertThrows(PeerUnavailableException.class, s::frames);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void aFrameLongerThanAnyChunkIsRefusedBeforeAnyMemoryIsTaken() {
        byte[] r = raw(1, 10);
        Buffer body = Buffer.buffer().appendBytes(Digest.sha256(r).bytes()).appendInt(Integer.MAX_VALUE).appendBytes(new byte[100]);
        BatchSplitter s = feed(new BatchSplitter("p", digests(List.of(r))), body, 3, 64);
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, s::frames);
        assertTrue(e.getMessage().contains("frame of " + Integer.MAX_VALUE), e.getMessage());
    }

    @Test
    void theStartOfARefusalIsKeptAsText() {
        BatchSplitter s = new BatchSplitter("p", new HashSet<>());
        s.write(Buffer.buffer("signature is stale"));
        assertEquals("signature is stale", s.text());
    }
}
