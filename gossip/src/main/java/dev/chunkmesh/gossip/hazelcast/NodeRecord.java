package dev.chunkmesh.gossip.hazelcast;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.gossip.Tier;
import java.io.Serializable;
import java.util.Optional;

/** A node's place as plain strings for Hazelcast values; parsed back (and so validated) on read. */
record NodeRecord(String pop, String tier, String parentPop, String peerAddress) implements Serializable {
    private static final long serialVersionUID = 1L;

    static NodeRecord of(NodeInfo n) {
        return new NodeRecord(n.pop().name(), n.tier().name(), n.parentPop().map(PopId::name).orElse(""), n.peerAddress());
    }

    NodeInfo toNodeInfo(String name) {
        return new NodeInfo(new NodeId(name), new PopId(pop), Tier.valueOf(tier),
                parentPop.isEmpty() ? Optional.empty() : Optional.of(new PopId(parentPop)), peerAddress);
    }
}
