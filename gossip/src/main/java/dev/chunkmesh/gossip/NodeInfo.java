package dev.chunkmesh.gossip;

import java.util.Objects;
import java.util.Optional;

/**
 * What the mesh knows of a node's place: its name, POP, tier, the parent POP of a micro-hub, and the
 * {@code host:port} of its peer API.
 */
public record NodeInfo(NodeId id, PopId pop, Tier tier, Optional<PopId> parentPop, String peerAddress) {
    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pop, "pop");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(parentPop, "parentPop");
        if (tier == Tier.MICRO_HUB && parentPop.isEmpty()) {
            throw new IllegalArgumentException("micro-hub node " + id + " needs a parent POP");
        }
        if (tier == Tier.POP && parentPop.isPresent()) {
            throw new IllegalArgumentException("POP node " + id + " has no parent POP; only micro-hubs do");
        }
        if (parentPop.isPresent() && parentPop.get().equals(pop)) {
            throw new IllegalArgumentException("node " + id + " cannot be its own POP's parent");
        }
        if (peerAddress == null || peerAddress.isBlank()) {
            throw new IllegalArgumentException("node " + id + " needs a peer address");
        }
    }

    /** A node's name is unique in the fleet: equal infos have equal names, so the name alone makes the hash. */
    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
