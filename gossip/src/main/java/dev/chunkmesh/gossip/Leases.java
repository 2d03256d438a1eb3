package dev.chunkmesh.gossip;

/**
 * Single-flight leases: within a POP, at most one node at a time holds the lease for a key (a chunk,
 * a coalesced range, or a blob's first pull), and only that node fetches it from outside the POP.
 * A lease lapses if its holder neither renews nor releases it within the lease time, so it dies with
 * its holder.
 */
public interface Leases {

    /** Takes the lease for {@code key} if free (or already ours, renewing it); otherwise says who holds it. */
    LeaseResult acquire(String key, NodeId self);

    /** Gives the lease back if {@code self} holds it. */
    void release(String key, NodeId self);
}
