package dev.chunkmesh.gossip;

import java.util.List;

/**
 * The live members of a POP, from their heartbeats. A node that stops sending heartbeats disappears
 * once the last one heard from it is older than the time-to-live the implementation was given.
 */
public interface Membership {

    /** Publishes {@code health} as the node's latest heartbeat. */
    void heartbeat(Health health);

    /** Removes a node at once, for a clean leave. */
    void leave(NodeId node);

    /** Every node heard from within the time-to-live, with its latest heartbeat, sorted by name. */
    List<Health> alive();
}
