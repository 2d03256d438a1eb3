package dev.chunkmesh.node.config;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.gossip.Tier;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node is told at start, as one immutable tree whose parts match the YAML sections
 * (and the Helm chart's values): {@code node}, {@code network}, {@code cluster}, {@code store},
 * {@code origin}, {@code pull}, {@code chunker}, {@code catalog}. {@link ConfigKeys} documents every key
 * and its default; {@link ConfigLoader} builds this from defaults, a file, the environment and flags.
 */
public record NodeConfig(Identity node, Network network, Cluster cluster, Store store, Upstream origin, PullSettings pull,
                         ChunkerParams chunker, Optional<Path> trustedKeys) {

    public NodeConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
    }

    /** Who the node is: its name, POP and, for a micro-hub, the parent POP. */
    public record Identity(NodeId name, PopId pop, Optional<PopId> parentPop) {
        public Tier tier() {
            return parentPop.isPresent() ? Tier.MICRO_HUB : Tier.POP;
        }
    }

    /**
     * Where the node listens. Port 0 takes any free port (tests).
     *
     * @param bind the node's private address: peer API, admin API and Hazelcast listen only here
     * @param members Hazelcast members to join through, {@code host[:port]}; empty for a POP of one
     */
    public record Network(String bind, int peerPort, int registryPort, int adminPort, int hazelcastPort, List<String> members) {
        public Network {
            members = List.copyOf(members);
        }
    }

    /**
     * The POP cluster the node joins.
     *
     * @param name the Hazelcast cluster name, one per POP; a micro-hub joins its parent POP's
     * @param secret shared by all nodes; peers refuse requests without it
     * @param heartbeatTtl a node that has not sent a heartbeat for this long is taken for dead
     */
    public record Cluster(String name, String secret, Duration heartbeatTtl) {
        @Override
        public String toString() {
            return "Cluster[name=" + name + ", secret hidden, heartbeatTtl=" + heartbeatTtl + "]";
        }
    }

    /** The chunk store: its folder and how many bytes of chunks it may hold. */
    public record Store(Path data, long capacityBytes) {}

    /**
     * The default upstream registry.
     *
     * @param url empty when the node has no origin (it can then only serve what the POP holds)
     * @param bytesPerSecond the node's bandwidth to the origin; 0 for unlimited
     */
    public record Upstream(Optional<URI> url, Optional<String> username, Optional<String> password, long bytesPerSecond) {
        @Override
        public String toString() {
            return "Upstream[url=" + url + ", username=" + username + ", password " + (password.isPresent() ? "set" : "unset")
                    + ", bytesPerSecond=" + bytesPerSecond + "]";
        }
    }

    /** The node's place as the POP sees it, with its peer address. */
    public NodeInfo nodeInfo(int peerPort) {
        return new NodeInfo(node.name(), node.pop(), node.tier(), node.parentPop(), network.bind() + ":" + peerPort);
    }
}
