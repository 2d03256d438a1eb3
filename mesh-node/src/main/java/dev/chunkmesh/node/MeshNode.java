package dev.chunkmesh.node;

import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.node.config.NodeConfig;
import dev.chunkmesh.node.local.DirectoryRecipes;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.origin.Upstreams;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.node.registry.ManifestCache;
import dev.chunkmesh.node.registry.RegistryServer;
import dev.chunkmesh.store.ChunkStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * One running node: its chunk store, its embedded Hazelcast member in the POP cluster, the peer API,
 * the admin API and the pull service, wired by {@link NodeWiring}, present in its POP through
 * {@link PopPresence}. {@link #start} returns once every port listens; {@link #close} leaves the POP
 * cleanly, withdrawing what the node advertised.
 */
public final class MeshNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeshNode.class.getName());

    private final NodeWiring parts;
    private volatile boolean closed;

    private MeshNode(NodeWiring parts) {
        this.parts = parts;
    }

    /** Starts a node; returns once its ports listen and it has sent its first heartbeat. */
    public static MeshNode start(NodeConfig config) throws Exception {
        return start(config, UnaryOperator.identity());
    }

    /** For fault tests: a node whose chunk store is wrapped, for example to serve corrupt bytes. */
    public static MeshNode start(NodeConfig config, UnaryOperator<ChunkStore> storeWrapper) throws Exception {
        return new MeshNode(new NodeWiring(config, storeWrapper, Clock.systemUTC()));
    }

    /**
     * Brings this node's claims down to what its store still holds after evictions, and forgets the
     * recipes of blobs nothing is left of (done every 10 s on its own; callable at once for tests).
     */
    public void refreshHoldings() {
        parts.presence.refreshHoldings();
    }

    public NodeInfo info() {
        return parts.self;
    }

    public NodeConfig config() {
        return parts.config;
    }

    public Vertx vertx() {
        return parts.vertx;
    }

    public ChunkStore store() {
        return parts.store;
    }

    public PopView pop() {
        return parts.pop;
    }

    public PullService pulls() {
        return parts.pulls;
    }

    /** The origins this node pulls from: the default one and one per configured upstream. */
    public Upstreams upstreams() {
        return parts.upstreams;
    }

    public DirectoryRecipes localRecipes() {
        return parts.localRecipes;
    }

    public NodeMetrics metrics() {
        return parts.metrics;
    }

    /**
     * Members of the Hazelcast cluster as this node's member sees them, lite members included. It can
     * differ from the live members by heartbeat for up to {@code cluster.member-timeout} after a cut.
     */
    public int clusterMembers() {
        return parts.presence.clusterMembers();
    }

    /** Whether the node has joined its POP: its heartbeat reached the cluster. */
    public boolean joined() {
        return parts.presence.joined();
    }

    /**
     * What an operator must hear about, one sentence each, as of the watchdog's last look (every 10 s):
     * POP members that do not admit this node, no member answering, an unreachable origin.
     */
    public List<String> problems() {
        return parts.presence.problems();
    }

    public int peerPort() {
        return parts.peerPort;
    }

    public int adminPort() {
        return parts.adminPort;
    }

    /** The registry mirror's base URL, for runtimes ({@code hosts.toml}) and skopeo. */
    public String registryUrl() {
        return parts.registryUrl();
    }

    public RegistryServer registry() {
        return parts.registry;
    }

    public ManifestCache manifests() {
        return parts.manifests;
    }

    /** The admin API's base URL (on 127.0.0.1 when it listens on every address). */
    public String adminUrl() {
        String host = parts.config.network().adminBind();
        return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + parts.adminPort;
    }

    /** Stops as a crash would, for fault tests: no goodbye to the POP, Hazelcast cut off at once. */
    public void kill() {
        closed = true;
        parts.presence.stop();
        parts.hazelcast.getLifecycleService().terminate();
        parts.pulls.close();
        parts.vertx.close();
        parts.store.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parts.presence.leave();
        parts.pulls.close();
        try {
            parts.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("vert.x did not stop cleanly: " + e);
        }
        parts.hazelcast.shutdown();
        parts.store.close();
    }
}
