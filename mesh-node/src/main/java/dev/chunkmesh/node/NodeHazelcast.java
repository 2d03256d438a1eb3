package dev.chunkmesh.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.hazelcast.HazelcastSettings;
import dev.chunkmesh.node.config.NodeConfig;
import dev.chunkmesh.node.origin.Origin;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/** How a node's embedded Hazelcast member is configured from the node's settings. */
final class NodeHazelcast {
    /** The member attribute that names the node a Hazelcast member runs for (not sealed: a claim, checked against heartbeats). */
    static final String NODE_ATTRIBUTE = "mesh.node";

    private NodeHazelcast() {
    }

    /** The member configuration of node {@code c}: its POP's cluster (named for the POP and its secret), its address, its failure-detection times. */
    static Config config(NodeConfig c) {
        Config h = new HazelcastSettings(c.cluster().hazelcastName(), c.network().bind(), c.network().hazelcastPort(), c.network().members(),
                c.network().kubernetesServiceDns()).toConfig("mesh-" + c.node().name().name() + "-" + System.nanoTime());
        h.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, c.node().name().name());
        // A micro-hub joins its parent POP's cluster as a lite member: it sees the POP's state but owns none of it.
        h.setLiteMember(c.node().parentPop().isPresent());
        // A silent member is dropped after member-timeout; the halves of a split POP then look for each
        // other every merge-interval and merge when they meet.
        HazelcastSettings.dropSilentMembersAfter(h, c.cluster().memberTimeout());
        h.setProperty("hazelcast.merge.first.run.delay.seconds", Long.toString(c.cluster().mergeInterval().toSeconds()));
        h.setProperty("hazelcast.merge.next.run.delay.seconds", Long.toString(c.cluster().mergeInterval().toSeconds()));
        return h;
    }

    /**
     * Waits, at most {@code millis}, until this node has heard a heartbeat from every member of its
     * cluster (they answer a newcomer at once), so a pull right after start sees its peers.
     */
    static void awaitHeardEveryMember(HazelcastInstance hazelcast, Membership membership, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Set<String> heard = new HashSet<>();
            membership.alive().forEach(h -> heard.add(h.node().id().name()));
            if (hazelcast.getCluster().getMembers().stream().map(m -> m.getAttribute(NODE_ATTRIBUTE))
                    .allMatch(name -> name == null || heard.contains(name))) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** The watchdog of node {@code c}'s place in its POP (configured members against its cluster) and of its origin. */
    static Watchdog watchdog(NodeConfig c, HazelcastInstance hazelcast, Origin origin) {
        InetSocketAddress self = new InetSocketAddress(c.network().bind(), c.network().hazelcastPort());
        Supplier<Set<InetSocketAddress>> cluster = () -> {
            Set<InetSocketAddress> in = new HashSet<>();
            if (hazelcast.getLifecycleService().isRunning()) {
                for (Member m : hazelcast.getCluster().getMembers()) {
                    try {
                        in.add(new InetSocketAddress(m.getAddress().getInetAddress(), m.getAddress().getPort()));
                    } catch (UnknownHostException e) {
                        // a member whose address does not resolve cannot match a configured one
                    }
                }
            }
            return in;
        };
        return new Watchdog(c.network().members(), c.network().hazelcastPort(), self, cluster, origin, Watchdog::tcpAnswers);
    }
}
