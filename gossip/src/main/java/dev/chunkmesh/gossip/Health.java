package dev.chunkmesh.gossip;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's heartbeat: where it is, when it last spoke, and how loaded it is.
 *
 * @param freeBytes free room in its chunk store
 * @param activeTransfers chunk transfers it is serving now
 */
public record Health(NodeInfo node, Instant heartbeat, long freeBytes, int activeTransfers) {
    public Health {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (freeBytes < 0 || activeTransfers < 0) {
            throw new IllegalArgumentException("health figures cannot be negative");
        }
    }
}
