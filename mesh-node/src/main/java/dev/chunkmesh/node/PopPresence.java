package dev.chunkmesh.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.hazelcast.HazelcastMembership;
import dev.chunkmesh.node.admin.NodeStanding;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.peer.ServeStats;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.store.ChunkStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A node's presence in its POP: its heartbeat every second, its claims ({@link Holdings}) kept in step
 * with its store and put back after a split or a member loss, the departed members it withdraws
 * ({@link DepartureListener}), and the watchdog of its place in the POP. {@link #start} joins;
 * {@link #leave} says goodbye, withdrawing what the node advertised; {@link #stop} falls silent as a
 * crash would.
 */
final class PopPresence implements NodeStanding {
    private static final Logger LOG = Logger.getLogger(PopPresence.class.getName());
    private static final long WATCH_SECONDS = 10;
    private static final long HOLDINGS_REFRESH_MS = 10_000;

    private final NodeInfo self;
    private final ChunkStore store;
    private final ServeStats served;
    private final PopView pop;
    private final HazelcastInstance hazelcast;
    private final HazelcastMembership membership;
    private final Holdings holdings;
    private final Watchdog watchdog;
    private final NodeMetrics metrics;
    private final Vertx vertx;
    /** Work that may wait on Hazelcast, kept apart from the workers that read the disk for peers and clients. */
    private final WorkerExecutor gossipWork;
    private final Clock clock;
    private final ScheduledExecutorService beats = daemonThread("mesh-heartbeat");
    /** Its own thread too: the watchdog's probes may wait seconds on an unreachable origin or member. */
    private final ScheduledExecutorService watch = daemonThread("mesh-watchdog");
    private volatile long refreshTimer = -1;
    private volatile boolean joined;
    private volatile boolean stopped;

    /**
     * @param store and {@code served} give each heartbeat the node's free space and transfers in flight
     * @param membership the POP's members by their sealed heartbeats, in {@code hazelcast}'s cluster
     * @param gossipWork where work that may wait on Hazelcast runs; {@code vertx} times the holdings refresh
     */
    PopPresence(NodeInfo self, ChunkStore store, ServeStats served, PopView pop, HazelcastInstance hazelcast, HazelcastMembership membership,
                Holdings holdings, Watchdog watchdog, NodeMetrics metrics, Vertx vertx, WorkerExecutor gossipWork, Clock clock) {
        this.self = Objects.requireNonNull(self, "self");
        this.store = Objects.requireNonNull(store, "store");
        this.served = Objects.requireNonNull(served, "served");
        this.pop = Objects.requireNonNull(pop, "pop");
        this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
        this.membership = Objects.requireNonNull(membership, "membership");
        this.holdings = Objects.requireNonNull(holdings, "holdings");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.gossipWork = Objects.requireNonNull(gossipWork, "gossipWork");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Joins the POP: listens for departures and merges, claims what the store holds, sends the first
     * heartbeat and waits (at most 2 s) to hear every member, then beats every second, watches every
     * 10 s and brings claims down to the store every 10 s.
     */
    void start() throws InterruptedException {
        hazelcast.getCluster().addMembershipListener(new DepartureListener(hazelcast, pop, holdings, gossipWork, () -> stopped,
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
        watch.scheduleWithFixedDelay(watchdog::check, 0, WATCH_SECONDS, TimeUnit.SECONDS);
        refreshTimer = vertx.setPeriodic(HOLDINGS_REFRESH_MS, t -> gossipWork.executeBlocking(() -> {
            refreshHoldings();
            return null;
        }, false));
    }

    private void heartbeat() {
        if (stopped) {
            return;
        }
        try {
            var s = store.stats();
            pop.membership().heartbeat(new Health(self, clock.instant(), Math.max(0, s.capacityBytes() - s.usedBytes()),
                    served.activeTransfers()));
            joined = true;
            metrics.heartbeat(pop.membership().alive().size());
        } catch (RuntimeException e) {
            joined = false;
            if (!stopped) {
                LOG.warning("heartbeat failed: " + e);
            }
        }
    }

    /** Brings the node's claims down to what its store still holds; see {@link MeshNode#refreshHoldings}. */
    void refreshHoldings() {
        if (stopped) {
            return;
        }
        try {
            Holdings.Refresh r = holdings.refresh();
            if (r.cut() + r.withdrawn() > 0) {
                LOG.fine(() -> "after evictions: " + r.cut() + " claims cut, " + r.withdrawn() + " withdrawn, "
                        + r.recipesForgotten() + " shared recipes forgotten");
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.warning("refreshing claims after evictions failed: " + e);
            }
        }
    }

    /** Falls silent as a crash would: no more heartbeats, checks or claims, and no goodbye. */
    void stop() {
        stopped = true;
        beats.shutdownNow();
        watch.shutdownNow();
    }

    /** Falls silent, then withdraws every claim of the node and its heartbeat from the POP (a warning if the POP is unreachable). */
    void leave() {
        stop();
        vertx.cancelTimer(refreshTimer);
        try {
            pop.availability().withdrawAll(self.id());
            pop.membership().leave(self.id());
        } catch (RuntimeException e) {
            LOG.warning("could not say goodbye to the POP: " + e);
        }
    }

    @Override
    public NodeInfo self() {
        return self;
    }

    @Override
    public boolean joined() {
        return joined && hazelcast.getLifecycleService().isRunning();
    }

    /** POP members that do not admit this node, no member answering, an unreachable origin, as of the watchdog's last look (every 10 s). */
    @Override
    public List<String> problems() {
        return watchdog.problems();
    }

    /** It can differ from the live members by heartbeat for up to {@code cluster.member-timeout} after a cut. */
    @Override
    public int clusterMembers() {
        return hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
    }

    private static ScheduledExecutorService daemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
