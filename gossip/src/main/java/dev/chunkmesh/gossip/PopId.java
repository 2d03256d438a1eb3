package dev.chunkmesh.gossip;

/** A POP's name (point of presence), with the same grammar as {@link NodeId}. */
public record PopId(String name) {
    public PopId {
        Names.require("POP name", name);
    }

    @Override
    public String toString() {
        return name;
    }
}
