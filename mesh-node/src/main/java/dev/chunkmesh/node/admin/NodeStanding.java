package dev.chunkmesh.node.admin;

import dev.chunkmesh.gossip.NodeInfo;
import java.util.List;

/** How a node stands in its POP, as the admin API reports it ({@code /healthz}, {@code /v1/status}). */
public interface NodeStanding {

    /** The node itself: its name, POP, tier and peer address. */
    NodeInfo self();

    /** Whether the node has joined its POP: its last heartbeat reached the cluster, and its member runs. */
    boolean joined();

    /** What an operator must hear about, one sentence each, as of the last look; empty when all is well. */
    List<String> problems();

    /** Members of the node's Hazelcast cluster as its member sees them, lite members included; 0 once it stopped. */
    int clusterMembers();
}
