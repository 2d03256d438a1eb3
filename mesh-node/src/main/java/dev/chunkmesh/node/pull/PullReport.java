package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.store.Digest;
import java.time.Duration;
import java.util.Map;

/**
 * How one blob pull went.
 *
 * @param bytesBySource bytes of the blob by where they came from; {@code LOCAL} for what the node had
 * @param firstToChunk whether this node streamed the blob from the origin and made its recipe
 * @param badPeers peers caught sending wrong bytes during this pull
 */
public record PullReport(Digest blob, long size, Map<SourceKind, Long> bytesBySource, Duration time, boolean firstToChunk,
                         int badPeers) {
    public PullReport {
        bytesBySource = Map.copyOf(bytesBySource);
    }
}
