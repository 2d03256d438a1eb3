package dev.chunkmesh.gossip;

import java.util.List;

/**
 * The live members of a POP, from their heartbeats. A node that stops sending heartbeats disappears
 * once its last one is older than the time-to-live the implementation was given.
 */
public interface Membership {

    /** Publishes {@code health} as the node's latest heartbeat. */
    void heartbeat(Health health);

    /** Removes a node at once, for a clean leave. */
    void leave(NodeId node);

    /** Every node whose last heartbeat is within the time-to-live, sorted by name. */
    List<Health> alive();
}
