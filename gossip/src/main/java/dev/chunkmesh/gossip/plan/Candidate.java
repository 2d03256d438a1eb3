package dev.chunkmesh.gossip.plan;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import java.util.Objects;

/**
 * A node that claims some chunks of the blob being planned, with its current load.
 *
 * @param activeTransfers transfers the node is serving now, from its health record
 */
public record Candidate(NodeInfo node, ChunkBitmap held, int activeTransfers) {
    public Candidate {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(held, "held");
        if (activeTransfers < 0) {
            throw new IllegalArgumentException("active transfers cannot be negative");
        }
    }
}
