package dev.chunkmesh.node;

import dev.chunkmesh.store.Digest;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Somewhere chunks can be fetched from: a peer, the origin, the local store. Whatever a source
 * returns has been verified against its digest; a source that sends wrong bytes fails the future with
 * {@link dev.chunkmesh.store.ChunkCorruptException}, one that lacks the chunk with
 * {@link dev.chunkmesh.store.ChunkMissingException}.
 */
public interface ChunkSource {

    /** The chunk's raw bytes. */
    Future<byte[]> fetch(Digest digest);

    /** As many of {@code digests} as the source holds, verified; absent ones are simply left out. */
    Future<Map<Digest, byte[]>> fetchAll(List<Digest> digests);

    /** A name for logs and metrics, for example the peer's node name. */
    String name();
}
