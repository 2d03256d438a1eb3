package dev.chunkmesh.gossip.plan;

import dev.chunkmesh.gossip.NodeInfo;
import java.util.List;

/** One part of a plan: chunks (by recipe index, ascending) to take from one source. */
public sealed interface Assignment {

    List<Integer> chunks();

    long bytes();

    /** Chunks to fetch from a peer's chunk API. */
    record FromPeer(NodeInfo node, SourceKind kind, List<Integer> chunks, long bytes) implements Assignment {
        public FromPeer {
            chunks = List.copyOf(chunks);
        }
    }

    /** Adjacent chunks to fetch from the origin with one Range request for {@code [offset, offset+bytes)}. */
    record FromOrigin(long offset, long bytes, List<Integer> chunks) implements Assignment {
        public FromOrigin {
            chunks = List.copyOf(chunks);
        }
    }
}
