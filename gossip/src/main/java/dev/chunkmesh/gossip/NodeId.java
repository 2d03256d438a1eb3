package dev.chunkmesh.gossip;

/** A node's name, unique in the fleet: 1 to 63 of lowercase letters, digits and '-', starting with a letter or digit. */
public record NodeId(String name) implements Comparable<NodeId> {
    public NodeId {
        Names.require("node name", name);
    }

    @Override
    public int compareTo(NodeId o) {
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
