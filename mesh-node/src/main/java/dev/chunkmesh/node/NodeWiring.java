package dev.chunkmesh.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.gossip.hazelcast.HazelcastAvailability;
import dev.chunkmesh.gossip.hazelcast.HazelcastLeases;
import dev.chunkmesh.gossip.hazelcast.HazelcastMembership;
import dev.chunkmesh.gossip.hazelcast.HazelcastRecipes;
import dev.chunkmesh.node.admin.AdminServer;
import dev.chunkmesh.node.admin.Prefetch;
import dev.chunkmesh.node.admin.StatusJson;
import dev.chunkmesh.node.config.NodeConfig;
import dev.chunkmesh.node.http.Endpoint;
import dev.chunkmesh.node.local.DirectoryRecipes;
import dev.chunkmesh.node.local.PartialRecipes;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.NoOrigin;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.origin.UpperTier;
import dev.chunkmesh.node.origin.Upstreams;
import dev.chunkmesh.node.peer.PeerChunkServer;
import dev.chunkmesh.node.peer.PeerServerConfig;
import dev.chunkmesh.node.peer.ServeStats;
import dev.chunkmesh.node.pull.PeerClients;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.node.registry.ManifestCache;
import dev.chunkmesh.node.registry.MirrorRequest;
import dev.chunkmesh.node.registry.RegistryServer;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The one place a node is wired: its chunk store, its embedded Hazelcast member in the POP cluster,
 * the peer API, the pull service, the admin API and the registry mirror, each given its collaborators
 * and the node's one {@link Clock}. Building it starts the node: it returns once every port listens
 * and the node has joined its POP ({@link PopPresence#start}). Its parts are for {@link MeshNode}.
 */
final class NodeWiring {
    private static final Logger LOG = Logger.getLogger(NodeWiring.class.getName());
    /** One line per mirror request (registry.access-log); a logger of its own, so it can be routed or muted apart. */
    private static final Logger ACCESS = Logger.getLogger("dev.chunkmesh.node.registry.access");

    final NodeConfig config;
    final Vertx vertx;
    final ChunkStore store;
    final HazelcastInstance hazelcast;
    final PopView pop;
    final DirectoryRecipes localRecipes;
    final NodeMetrics metrics;
    final NodeInfo self;
    final int peerPort;
    final Upstreams upstreams;
    final PullService pulls;
    final ManifestCache manifests;
    final PopPresence presence;
    final int adminPort;
    final RegistryServer registry;

    NodeWiring(NodeConfig config, UnaryOperator<ChunkStore> storeWrapper, Clock clock) throws Exception {
        this.config = config;
        NodeConfig.Network net = config.network();
        NodeStartException.requireFree("network.hazelcast-port", net.bind(), net.hazelcastPort());
        NodeStartException.requireFree("network.peer-port", net.bind(), net.peerPort());
        NodeStartException.requireFree("network.admin-port", net.adminBind(), net.adminPort());
        NodeStartException.requireFree("network.registry-port", config.registry().bind(), net.registryPort());
        Path data = config.store().data();
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        this.store = storeWrapper.apply(DiskChunkStore.open(DiskStoreConfig.of(data.resolve("chunks"), config.store().capacityBytes())
                .withFsync(config.store().fsync()).withCompression(config.store().compress())));
        this.localRecipes = new DirectoryRecipes(data.resolve("recipes"));
        ServeStats served = new ServeStats();
        this.metrics = new NodeMetrics(config.node().name().name(), config.node().pop().name(), store, served);
        this.hazelcast = Hazelcast.newHazelcastInstance(NodeHazelcast.config(config));
        // Work that may wait on Hazelcast, kept apart from the workers that read the disk for peers and clients.
        WorkerExecutor gossipWork = vertx.createSharedWorkerExecutor("mesh-gossip", 4);
        Seal gossipSeal = Seal.of(config.cluster().secret(), "gossip");
        HazelcastMembership membership = new HazelcastMembership(hazelcast, config.cluster().heartbeatTtl(), gossipSeal);
        HazelcastAvailability availability = new HazelcastAvailability(hazelcast);
        HazelcastLeases leases = new HazelcastLeases(hazelcast, config.pull().leaseTime(), gossipSeal,
                id -> membership.alive().stream().anyMatch(h -> h.node().id().equals(id)), clock);
        this.pop = new PopView(membership, availability, leases, new HazelcastRecipes(hazelcast, gossipSeal));
        metrics.bindGossipRejections(membership::forgeries, leases::ignored, availability::unreadable);

        PeerBackends backends = new PeerBackends();
        PeerChunkServer peerServer = new PeerChunkServer(store, new PeerServerConfig(net.bind(), net.peerPort(), config.cluster().secret(),
                config.tls(), net.limits(), config.pull().uploadSlots()), backends, served, backends.lowerTiers(),
                config.tiers().lowerSecret(), clock);
        listen(vertx.deployVerticle(peerServer), "network.peer-port", net.bind(), net.peerPort());
        this.peerPort = peerServer.port();
        this.self = config.nodeInfo(peerPort);
        this.upstreams = upstreams(config, clock);
        PeerClients peers = new PeerClients(vertx, config.cluster().secret(), config.tls(), config.pull().requestTimeout(), clock);
        this.pulls = new PullService(self, store, localRecipes, new PartialRecipes(data.resolve("partial-recipes")), pop, peers,
                config.pull(), config.chunker(), clock, metrics);
        backends.wireRecipes(pulls);
        this.manifests = new ManifestCache(data.resolve("manifests"), data.resolve("catalogs").resolve("newest.json"),
                config.registry().tagTtl(), clock);
        Watchdog watchdog = NodeHazelcast.watchdog(config, hazelcast, upstreams.defaultOrigin());
        this.presence = new PopPresence(self, store, served, pop, hazelcast, membership, new Holdings(self, store, localRecipes, pop, pulls),
                watchdog, metrics, vertx, gossipWork, clock);

        StatusJson status = new StatusJson(presence, pop, localRecipes, store, pulls, metrics, manifests.names(), clock);
        Prefetch prefetch = new Prefetch(config.trustedKeys(), data.resolve("catalogs"), localRecipes, pop.recipes(),
                upstreams.defaultOrigin(), manifests, clock);
        AdminServer admin = new AdminServer(new AdminServer.Parts(presence, metrics, pulls, upstreams.defaultOrigin(), manifests.names(),
                status, prefetch, gossipWork), new Endpoint(net.adminBind(), net.adminPort(), net.limits()), config.admin().token(),
                config.admin().maxBody());
        listen(vertx.deployVerticle(admin), "network.admin-port", net.adminBind(), net.adminPort());
        this.adminPort = admin.port();

        this.registry = new RegistryServer(new RegistryServer.Parts(pulls, upstreams, manifests, store, localRecipes, pop.recipes(), clock),
                new Endpoint(config.registry().bind(), net.registryPort(), net.limits()), config.registry().accessTtl(), this::observe);
        listen(vertx.deployVerticle(registry), "network.registry-port", config.registry().bind(), net.registryPort());
        backends.wireLowerTiers(registry);
        metrics.bind(pulls, registry, upstreams);
        metrics.bindWatchdog(watchdog::outsideMembers, watchdog::originReachable);
        presence.start();
        LOG.info(() -> "node " + self.id() + " (" + self.tier() + " in " + self.pop() + ") up: peer " + self.peerAddress()
                + ", admin " + net.adminBind() + ":" + adminPort + (config.admin().token().isPresent() ? " (token required)" : "")
                + ", registry " + registryUrl() + ", hazelcast " + net.bind() + ":" + net.hazelcastPort()
                + " in cluster " + config.cluster().name() + ", transport "
                + (vertx.isNativeTransportEnabled() ? "epoll" : "nio (" + vertx.unavailableNativeTransportCause() + ")"));
    }

    /** The registry mirror's base URL. */
    String registryUrl() {
        return "http://" + config.registry().bind() + ":" + registry.port();
    }

    private void observe(MirrorRequest finished) {
        metrics.registryRequest(finished.kind(), finished.status(), finished.nanos());
        if (config.registry().accessLog()) {
            ACCESS.info(finished::logLine);
        }
    }

    private static void listen(Future<?> deployed, String setting, String host, int port) {
        try {
            deployed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw NodeStartException.listenFailed(setting, host, port, e);
        }
    }

    /** The origins the node is configured with; {@code clock} times the signatures of requests to an upper tier. */
    private static Upstreams upstreams(NodeConfig c, Clock clock) {
        Bandwidth shared = new Bandwidth(c.origin().bytesPerSecond());
        Duration idle = c.pull().stallTimeout();
        if (!c.tiers().upper().isEmpty()) {
            return Upstreams.throughUpperTier(new UpperTier(c.tiers().upper(), c.tiers().upperSecret(), c.tls(), shared, idle, clock));
        }
        Origin def = c.origin().url().<Origin>map(u -> Upstreams.registry(u, c.origin().username(), c.origin().password(), shared, idle))
                .orElseGet(NoOrigin::new);
        Map<String, Origin> hosts = new LinkedHashMap<>();
        c.origin().upstreams().forEach((host, n) -> hosts.put(host, Upstreams.registry(n.url(), n.username(), n.password(), shared, idle)));
        return new Upstreams(def, hosts);
    }
}
