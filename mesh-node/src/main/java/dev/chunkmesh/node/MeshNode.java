package dev.chunkmesh.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.gossip.hazelcast.HazelcastAvailability;
import dev.chunkmesh.gossip.hazelcast.HazelcastLeases;
import dev.chunkmesh.gossip.hazelcast.HazelcastMembership;
import dev.chunkmesh.gossip.hazelcast.HazelcastRecipes;
import dev.chunkmesh.node.admin.AdminServer;
import dev.chunkmesh.node.config.NodeConfig;
import dev.chunkmesh.node.local.DirectoryRecipes;
import dev.chunkmesh.node.local.PartialRecipes;
import dev.chunkmesh.node.origin.Upstreams;
import dev.chunkmesh.node.peer.LowerTiers;
import dev.chunkmesh.node.peer.PeerChunkServer;
import dev.chunkmesh.node.peer.PeerServerConfig;
import dev.chunkmesh.node.peer.ServeStats;
import dev.chunkmesh.node.registry.ManifestCache;
import dev.chunkmesh.node.registry.RegistryServer;
import dev.chunkmesh.node.pull.PeerClients;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * One running node: its chunk store, its embedded Hazelcast member in the POP cluster, the peer API,
 * the admin API and the pull service, wired here and nowhere else. {@link #start} returns once every
 * port listens; {@link #close} leaves the POP cleanly, withdrawing what the node advertised.
 */
public final class MeshNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeshNode.class.getName());
    /** One line per mirror request (registry.access-log); a logger of its own, so it can be routed or muted apart. */
    private static final Logger ACCESS = Logger.getLogger("dev.chunkmesh.node.registry.access");
    static final String NODE_ATTRIBUTE = "mesh.node";

    private final NodeConfig config;
    private final Vertx vertx;
    private final ChunkStore store;
    private final HazelcastInstance hazelcast;
    private final PopView pop;
    private final DirectoryRecipes localRecipes;
    private final PullService pulls;
    private final Upstreams upstreams;
    private final ManifestCache manifests;
    private final RegistryServer registry;
    private final ServeStats served = new ServeStats();
    private final NodeMetrics metrics;
    private final NodeInfo self;
    private final int peerPort;
    private final int adminPort;
    private final Holdings holdings;
    private final Watchdog watchdog;
    private final ScheduledExecutorService beats = daemonThread("mesh-heartbeat");
    /** Its own thread too: the watchdog's probes may wait seconds on an unreachable origin or member. */
    private final ScheduledExecutorService watch = daemonThread("mesh-watchdog");
    private static final long WATCH_SECONDS = 10;
    /** Work that may wait on Hazelcast, kept apart from the workers that read the disk for peers and clients. */
    private final WorkerExecutor gossipWork;
    private final long refreshTimer;
    private static final long HOLDINGS_REFRESH_MS = 10_000;
    private volatile boolean joined;
    private volatile boolean closed;

    private MeshNode(NodeConfig config, UnaryOperator<ChunkStore> storeWrapper) throws Exception {
        this.config = config;
        NodeStartException.requireFree("network.hazelcast-port", config.network().bind(), config.network().hazelcastPort());
        NodeStartException.requireFree("network.peer-port", config.network().bind(), config.network().peerPort());
        NodeStartException.requireFree("network.admin-port", config.network().adminBind(), config.network().adminPort());
        NodeStartException.requireFree("network.registry-port", config.registry().bind(), config.network().registryPort());
        this.vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        this.store = storeWrapper.apply(DiskChunkStore.open(DiskStoreConfig.of(config.store().data().resolve("chunks"),
                config.store().capacityBytes()).withFsync(config.store().fsync())
                .withCompression(config.store().compress())));
        this.localRecipes = new DirectoryRecipes(config.store().data().resolve("recipes"));
        this.metrics = new NodeMetrics(config.node().name().name(), config.node().pop().name(), store, served);
        this.hazelcast = Hazelcast.newHazelcastInstance(NodeHazelcast.config(config));
        this.gossipWork = vertx.createSharedWorkerExecutor("mesh-gossip", 4);
        Seal gossipSeal = Seal.of(config.cluster().secret(), "gossip");
        HazelcastMembership membership = new HazelcastMembership(hazelcast, config.cluster().heartbeatTtl(), gossipSeal);
        this.pop = new PopView(membership, new HazelcastAvailability(hazelcast), new HazelcastLeases(hazelcast, config.pull().leaseTime(),
                gossipSeal, id -> membership.alive().stream().anyMatch(h -> h.node().id().equals(id)), Clock.systemUTC()),
                new HazelcastRecipes(hazelcast, gossipSeal));
        PeerClients peers = new PeerClients(vertx, config.cluster().secret(), config.tls(), config.pull().requestTimeout());
        PullService[] board = new PullService[1];
        RegistryServer[] mirrorBoard = new RegistryServer[1];
        PeerChunkServer peerServer = new PeerChunkServer(store, new PeerServerConfig(config.network().bind(), config.network().peerPort(),
                config.cluster().secret(), config.tls(), config.network().limits(), config.pull().uploadSlots()), (blob, from) -> board[0].prefix(blob, from), served,
                LowerTiers.late(() -> mirrorBoard[0]), config.tiers().lowerSecret());
        listen(vertx.deployVerticle(peerServer), "network.peer-port", config.network().bind(), config.network().peerPort());
        this.peerPort = peerServer.port();
        this.self = config.nodeInfo(peerPort);
        this.upstreams = Upstreams.of(config);
        this.pulls = new PullService(self, store, localRecipes, new PartialRecipes(config.store().data().resolve("partial-recipes")), pop,
                peers, config.pull(), config.chunker(), Clock.systemUTC(), metrics);
        board[0] = pulls;
        this.holdings = new Holdings(self, store, localRecipes, pop, pulls);
        AdminServer admin = new AdminServer(this, config.network().adminBind(), config.network().adminPort(), config.admin());
        listen(vertx.deployVerticle(admin), "network.admin-port", config.network().adminBind(), config.network().adminPort());
        this.adminPort = admin.port();
        this.manifests = new ManifestCache(config.store().data().resolve("manifests"),
                config.store().data().resolve("catalogs").resolve("newest.json"), config.registry().tagTtl(), Clock.systemUTC());
        RegistryServer mirror = new RegistryServer(pulls, upstreams, manifests, store, localRecipes, pop.recipes(),
                config.registry().bind(), config.network().registryPort(), finished -> {
                    metrics.registryRequest(finished.kind(), finished.status(), finished.nanos());
                    if (config.registry().accessLog()) {
                        ACCESS.info(finished::logLine);
                    }
                }, config.registry().accessTtl(), config.network().limits());
        listen(vertx.deployVerticle(mirror), "network.registry-port", config.registry().bind(), config.network().registryPort());
        this.registry = mirror;
        mirrorBoard[0] = mirror;
        metrics.bind(pulls, mirror, upstreams);
        hazelcast.getCluster().addMembershipListener(new DepartureListener(hazelcast, pop, holdings, gossipWork, () -> closed,
                membership::memberOf));
        hazelcast.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                gossipWork.executeBlocking(() -> {
                    LOG.info("rejoined the POP after a split: advertising what this node holds again");
                    heartbeat();
                    holdings.advertiseAll();
                    return null;
                }, false);
            }
        });
        holdings.advertiseAll();
        heartbeat();
        NodeHazelcast.awaitHeardEveryMember(hazelcast, pop.membership(), 2000);
        // Heartbeats have a thread of their own: nothing queued on a busy pool can make this node look dead.
        beats.scheduleWithFixedDelay(this::heartbeat, 1, 1, TimeUnit.SECONDS);
        this.watchdog = NodeHazelcast.watchdog(config, hazelcast, upstreams.defaultOrigin());
        metrics.bind(watchdog);
        watch.scheduleWithFixedDelay(watchdog::check, 0, WATCH_SECONDS, TimeUnit.SECONDS);
        this.refreshTimer = vertx.setPeriodic(HOLDINGS_REFRESH_MS, t -> gossipWork.executeBlocking(() -> {
            refreshHoldings();
            return null;
        }, false));
        LOG.info(() -> "node " + self.id() + " (" + self.tier() + " in " + self.pop() + ") up: peer " + self.peerAddress()
                + ", admin " + config.network().adminBind() + ":" + adminPort + (config.admin().token().isPresent() ? " (token required)" : "")
                + ", registry " + registryUrl() + ", hazelcast " + config.network().bind() + ":"
                + config.network().hazelcastPort() + " in cluster " + config.cluster().name() + ", transport "
                + (vertx.isNativeTransportEnabled() ? "epoll" : "nio (" + vertx.unavailableNativeTransportCause() + ")"));
    }

    /** Starts a node; returns once its ports listen and it has sent its first heartbeat. */
    public static MeshNode start(NodeConfig config) throws Exception {
        return new MeshNode(config, UnaryOperator.identity());
    }

    /** For fault tests: a node whose chunk store is wrapped, for example to serve corrupt bytes. */
    public static MeshNode start(NodeConfig config, UnaryOperator<ChunkStore> storeWrapper) throws Exception {
        return new MeshNode(config, storeWrapper);
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            var s = store.stats();
            pop.membership().heartbeat(new Health(self, Clock.systemUTC().instant(), Math.max(0, s.capacityBytes() - s.usedBytes()),
                    served.activeTransfers()));
            joined = true;
            metrics.heartbeat(pop.membership().alive().size());
        } catch (RuntimeException e) {
            joined = false;
            if (!closed) {
                LOG.warning("heartbeat failed: " + e);
            }
        }
    }

    private static ScheduledExecutorService daemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private static void listen(Future<?> deployed, String setting, String host, int port) {
        try {
            deployed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw NodeStartException.listenFailed(setting, host, port, e);
        }
    }

    /**
     * Brings this node's claims down to what its store still holds after evictions, and forgets the
     * recipes of blobs nothing is left of (done every 10 s on its own; callable at once for tests).
     */
    public void refreshHoldings() {
        if (closed) {
            return;
        }
        try {
            Holdings.Refresh r = holdings.refresh();
            if (r.cut() + r.withdrawn() > 0) {
                LOG.fine(() -> "after evictions: " + r.cut() + " claims cut, " + r.withdrawn() + " withdrawn, "
                        + r.recipesForgotten() + " shared recipes forgotten");
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warning("refreshing claims after evictions failed: " + e);
            }
        }
    }

    public NodeInfo info() {
        return self;
    }

    public NodeConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public ChunkStore store() {
        return store;
    }

    public PopView pop() {
        return pop;
    }

    public PullService pulls() {
        return pulls;
    }

    /** The origins this node pulls from: the default one and one per configured upstream. */
    public Upstreams upstreams() {
        return upstreams;
    }

    public DirectoryRecipes localRecipes() {
        return localRecipes;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Members of the Hazelcast cluster as this node's member sees them, lite members included. It can
     * differ from the live members by heartbeat for up to {@code cluster.member-timeout} after a cut.
     */
    public int clusterMembers() {
        return hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
    }

    /** Whether the node has joined its POP: its heartbeat reached the cluster. */
    public boolean joined() {
        return joined && hazelcast.getLifecycleService().isRunning();
    }

    /**
     * What an operator must hear about, one sentence each, as of the watchdog's last look (every 10 s):
     * POP members that do not admit this node, no member answering, an unreachable origin.
     */
    public java.util.List<String> problems() {
        return watchdog.problems();
    }

    public int peerPort() {
        return peerPort;
    }

    public int adminPort() {
        return adminPort;
    }

    /** The registry mirror's base URL, for runtimes ({@code hosts.toml}) and skopeo. */
    public String registryUrl() {
        return "http://" + config.registry().bind() + ":" + registry.port();
    }

    public RegistryServer registry() {
        return registry;
    }

    public ManifestCache manifests() {
        return manifests;
    }

    /**
     * Runs {@code work}, which may wait on Hazelcast (up to {@code cluster.member-timeout} after a
     * member is cut off), on the node's gossip workers rather than the pool serving chunks from disk.
     */
    public <T> Future<T> onGossipWorker(Callable<T> work) {
        return gossipWork.executeBlocking(work, false);
    }

    /** The admin API's base URL (on 127.0.0.1 when it listens on every address). */
    public String adminUrl() {
        String host = config.network().adminBind();
        return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + adminPort;
    }

    /** Stops as a crash would, for fault tests: no goodbye to the POP, Hazelcast cut off at once. */
    public void kill() {
        closed = true;
        beats.shutdownNow();
        watch.shutdownNow();
        hazelcast.getLifecycleService().terminate();
        pulls.close();
        vertx.close();
        store.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        beats.shutdownNow();
        watch.shutdownNow();
        vertx.cancelTimer(refreshTimer);
        try {
            pop.availability().withdrawAll(self.id());
            pop.membership().leave(self.id());
        } catch (RuntimeException e) {
            LOG.warning("could not say goodbye to the POP: " + e);
        }
        pulls.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("vert.x did not stop cleanly: " + e);
        }
        hazelcast.shutdown();
        store.close();
    }

}
