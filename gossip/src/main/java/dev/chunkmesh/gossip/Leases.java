package dev.chunkmesh.gossip;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * {@link #acquire} for many keys at once, each independently; implementations may do it in one
     * round trip. The answer has one entry per key.
     */
    default Map<String, LeaseResult> acquireAll(Collection<String> keys, NodeId self) {
        Map<String, LeaseResult> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, acquire(k, self));
        }
        return out;
    }

    /** {@link #release} for many keys at once. */
    default void releaseAll(Collection<String> keys, NodeId self) {
        for (String k : keys) {
            release(k, self);
        }
    }
}
