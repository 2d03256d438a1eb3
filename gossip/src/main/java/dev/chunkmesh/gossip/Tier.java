package dev.chunkmesh.gossip;

/** Where a node sits: a node of a POP, or a node of a micro-hub that has a parent POP. */
public enum Tier {
    POP,
    MICRO_HUB
}
