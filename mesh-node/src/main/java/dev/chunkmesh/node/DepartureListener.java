package dev.chunkmesh.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.node.pull.PopView;
import io.vertx.core.WorkerExecutor;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * When a member leaves the POP's cluster: the oldest member withdraws the departed node's claims, so
 * nobody plans around a dead node, and every member puts its own claims back (entries whose owner and
 * backup both left, in a split, are gone from this side). Hazelcast work goes to the gossip workers.
 */
final class DepartureListener implements MembershipListener {
    private final HazelcastInstance hazelcast;
    private final PopView pop;
    private final Holdings holdings;
    private final WorkerExecutor gossipWork;
    private final BooleanSupplier closed;
    private final Function<NodeId, Optional<UUID>> memberOf;

    /**
     * @param memberOf the Hazelcast member whose sealed heartbeat last spoke for a node: a departing
     *     member that merely claims a node's name (its attribute is not sealed) withdraws nothing
     */
    DepartureListener(HazelcastInstance hazelcast, PopView pop, Holdings holdings, WorkerExecutor gossipWork, BooleanSupplier closed,
                      Function<NodeId, Optional<UUID>> memberOf) {
        this.memberOf = Objects.requireNonNull(memberOf, "memberOf");
        this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
        this.pop = Objects.requireNonNull(pop, "pop");
        this.holdings = Objects.requireNonNull(holdings, "holdings");
        this.gossipWork = Objects.requireNonNull(gossipWork, "gossipWork");
        this.closed = Objects.requireNonNull(closed, "closed");
    }

    @Override
    public void memberAdded(MembershipEvent e) {
    }

    @Override
    public void memberRemoved(MembershipEvent e) {
        withdrawDeparted(e);
        gossipWork.executeBlocking(() -> {
            if (!closed.getAsBoolean()) {
                holdings.advertiseAll();
            }
            return null;
        }, false);
    }

    private void withdrawDeparted(MembershipEvent e) {
        String name = e.getMember().getAttribute(NodeHazelcast.NODE_ATTRIBUTE);
        if (name == null || closed.getAsBoolean() || !memberOf.apply(new NodeId(name)).equals(Optional.of(e.getMember().getUuid()))) {
            return;
        }
        var members = hazelcast.getCluster().getMembers();
        if (!members.isEmpty() && members.iterator().next().localMember()) {
            gossipWork.executeBlocking(() -> {
                pop.availability().withdrawAll(new NodeId(name));
                pop.membership().leave(new NodeId(name));
                return null;
            }, false);
        }
    }
}
