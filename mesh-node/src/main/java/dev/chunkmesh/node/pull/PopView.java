package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.Recipes;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The shared state of a POP as one node sees it: who is alive, who holds what, leases and recipes. Calls block. */
public record PopView(Membership membership, Availability availability, Leases leases, Recipes recipes) {
    public PopView {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(availability, "availability");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(recipes, "recipes");
    }

    /** Live members by id, from their heartbeats. */
    public Map<NodeId, Health> alive() {
        return membership.alive().stream().collect(Collectors.toMap(h -> h.node().id(), Function.identity()));
    }
}
