package dev.chunkmesh.gossip.hazelcast;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value kept per blob in Hazelcast: for each holding node, its place and its chunk bitmap. Plain
 * strings and bytes, so any member can read it without the mesh's classes being registered.
 */
final class Holders implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One node's claim: its place, and its bitmap's length and bytes. */
    record Claim(NodeRecord node, int length, byte[] bits) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    final TreeMap<String, Claim> byNode;

    Holders(Map<String, Claim> byNode) {
        this.byNode = new TreeMap<>(byNode);
    }
}
