package dev.chunkmesh.gossip;

/** The answer to a lease request: this node now holds it, or another node does. */
public sealed interface LeaseResult {

    /** The caller holds the lease until it releases it, or dies (then it lapses after the lease time). */
    record Acquired(String key, NodeId holder) implements LeaseResult {}

    /** Someone else is fetching; wait for it and take the chunk from that node. */
    record HeldBy(String key, NodeId holder) implements LeaseResult {}
}
