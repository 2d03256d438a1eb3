package dev.chunkmesh.gossip;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test topology and recipes. */
public final class Nodes {
    private Nodes() {
    }

    public static NodeInfo popNode(String name, String pop) {
        return new NodeInfo(new NodeId(name), new PopId(pop), Tier.POP, Optional.empty(), name + ":7000");
    }

    public static NodeInfo hubNode(String name, String hub, String parent) {
        return new NodeInfo(new NodeId(name), new PopId(hub), Tier.MICRO_HUB, Optional.of(new PopId(parent)), name + ":7000");
    }

    /** A recipe of {@code n} chunks of {@code size} bytes each, with distinct made-up digests. */
    public static Recipe recipe(int n, int size) {
        List<ChunkRef> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new ChunkRef((long) i * size, size, Digest.sha256(("chunk " + i).getBytes())));
        }
        return new Recipe(Digest.sha256(("blob of " + n).getBytes()), (long) n * size, chunks);
    }

    public static ChunkBitmap bits(int length, int from, int to) {
        ChunkBitmap b = ChunkBitmap.empty(length);
        for (int i = from; i < to; i++) {
            b = b.with(i);
        }
        return b;
    }
}
