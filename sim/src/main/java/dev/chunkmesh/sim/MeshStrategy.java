package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.pull.PullCommand;
import dev.chunkmesh.gossip.pull.PullEvent;
import dev.chunkmesh.gossip.pull.PullMachine;
import dev.chunkmesh.gossip.pull.PullRules;
import dev.chunkmesh.gossip.pull.SettableClock;
import dev.chunkmesh.store.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This mesh: content-defined chunks (only new ones move), grouped into spans of consecutive chunks;
 * partial holdings shared within the POP's cluster (a POP and its micro-hubs); and, for each node and
 * blob, the very {@link PullMachine} a real node runs, deciding which holder serves which span (nearest
 * tier, rarest first, least loaded, a window per peer), when to take a single-flight lease and go to the
 * origin, and whom to distrust. This class only carries the machine's commands out on the simulated
 * network: a fetch becomes a transfer, a lease is answered from the cluster's lease table, an advert
 * updates what the cluster sees (and wakes the other nodes' machines, as a Hazelcast listener does). In a
 * POP with an upper tier, the machine's origin fetches go to the upper tier instead ({@link UpperTiers}).
 */
final class MeshStrategy extends Strategy {
    /**
     * Sim seconds between the holder refreshes a node's machines get at most, given only when the node has
     * nothing queued to start and its cluster changed (as a real node's Hazelcast listener would wake it).
     */
    static final double REPLAN_SECONDS = 0.05;
    /** Without a change, a node's machines are ticked this often (their lease retries come due). */
    static final double LEASE_RETRY_SECONDS = 1.0;
    /** Holders of a blob a view looks at, per candidate it shows, for ones with a free upload slot. */
    static final int SCAN_PER_CANDIDATE = 4;
    /**
     * The machine's rules in the simulator: one span per request (an origin range is never joined with the next
     * span, which may lie after chunks the node holds), at most the engine's transfers per node in flight,
     * timeouts beyond any simulated run.
     */
    private final PullRules rules;

    private final Recipe[] spanRecipes;
    private final int[][] blobUnits;
    private final int[] unitIndexInBlob;
    private final Clusters clusters;
    private final UpperTiers upper;
    private final PullMachine[][] machines;
    private final List<ArrayDeque<Step>> queues = new ArrayList<>();
    private final SettableClock clock = new SettableClock(Instant.EPOCH);
    private double now;
    private final double[] lastTick;
    private final long[] seenGeneration;
    /**
     * By node, the blobs (a bit each, the 64th for all beyond) whose machines a peer answered busy since they
     * last saw the cluster: they look again as soon as nothing is queued, as a real node's view of its
     * peers' load (from their heartbeats) is always at hand.
     */
    private final long[] refused;

    /** A command of one of a node's machines, waiting for a free transfer slot. */
    private record Step(int blob, PullCommand command) {}

    MeshStrategy(World w, Workload wl) {
        this(w, Spans.of(wl, w.scenario.engine().spanBytes()));
    }

    private MeshStrategy(World w, Spans.SpanCut c) {
        super(w, c.cut().bytes(), c.cut().blob());
        this.spanRecipes = c.recipes();
        this.blobUnits = c.blobUnits();
        this.unitIndexInBlob = c.indexInBlob();
        int[] spansPerBlob = new int[blobUnits.length];
        for (int b = 0; b < blobUnits.length; b++) {
            spansPerBlob[b] = blobUnits[b].length;
        }
        this.clusters = new Clusters(w, spansPerBlob, unitBytes.length);
        this.upper = new UpperTiers(this, clusters, c);
        this.machines = new PullMachine[w.nodes][];
        for (int i = 0; i < w.nodes; i++) {
            queues.add(new ArrayDeque<>());
        }
        this.lastTick = new double[w.nodes];
        this.seenGeneration = new long[w.nodes];
        this.refused = new long[w.nodes];
        this.rules = new PullRules(1, 2, 4, w.scenario.engine().concurrency(), 1, Duration.ofDays(30), Duration.ofDays(30), Duration.ofSeconds(1),
                Duration.ofMillis(50), 3).withUploadSlots(w.scenario.engine().uploadSlots(), PullRules.DEFAULT_BUSY_BACKOFF);
    }

    @Override
    String name() {
        return "mesh";
    }

    /** A node with nothing in flight looks at its cluster again after {@link #REPLAN_SECONDS}. */
    @Override
    double idleStep() {
        return REPLAN_SECONDS;
    }

    private void at(double t) {
        now = Math.max(now, t);
        Instant instant = Instant.EPOCH.plusNanos((long) (t * 1e9));
        if (instant.isAfter(clock.instant())) {
            clock.set(instant);
        }
    }

    @Override
    Transfer next(int node, double t) {
        at(t);
        ArrayDeque<Step> queue = queues.get(node);
        int cluster = clusters.of(node);
        if (machines[node] == null) {
            machines[node] = new PullMachine[spanRecipes.length];
            seenGeneration[node] = clusters.generation(cluster);
            lastTick[node] = t;
            for (int b = 0; b < spanRecipes.length; b++) {
                if (blobUnits[b].length > 0) {
                    machines[node][b] = new PullMachine(w.info[node], spanRecipes[b], clusters.held(node, b), rules, clock);
                    enqueue(node, b, machines[node][b].start(view(node, b)));
                }
            }
        } else if (queue.isEmpty() && t - lastTick[node] >= REPLAN_SECONDS
                && (seenGeneration[node] != clusters.generation(cluster) || t - lastTick[node] >= LEASE_RETRY_SECONDS)) {
            lastTick[node] = t;
            boolean stale = seenGeneration[node] != clusters.generation(cluster);
            refused[node] = 0;
            seenGeneration[node] = clusters.generation(cluster);
            for (int b = 0; b < spanRecipes.length; b++) {
                PullMachine m = machines[node][b];
                if (m != null && !m.over()) {
                    enqueue(node, b, m.on(stale ? view(node, b) : new PullEvent.Tick()));
                }
            }
        } else if (queue.isEmpty() && refused[node] != 0) {
            long blobs = refused[node];
            refused[node] = 0;
            for (int b = 0; b < spanRecipes.length; b++) {
                PullMachine m = machines[node][b];
                if ((blobs & bit(b)) != 0 && m != null && !m.over()) {
                    enqueue(node, b, m.on(view(node, b)));
                }
            }
        }
        Transfer fromUpper = upper.next(node, t);
        if (fromUpper != null) {
            return fromUpper;
        }
        while (!queue.isEmpty()) {
            Transfer tr = carryOut(node, queue.poll(), t);
            if (tr != null) {
                return tr;
            }
        }
        return null;
    }

    /** Fetches wait in the node's queue for a transfer slot; everything else is done at once, in order. */
    private void enqueue(int node, int blob, List<PullCommand> commands) {
        for (PullCommand c : commands) {
            if (c instanceof PullCommand.FetchFromPeer || c instanceof PullCommand.FetchFromOrigin) {
                queues.get(node).add(new Step(blob, c));
            } else {
                carryOut(node, new Step(blob, c), now);
            }
        }
    }

    /** Carries out one command: a transfer for a fetch (null for anything else, done at once, or for a fetch the upper tier took). */
    private Transfer carryOut(int node, Step step, double t) {
        int b = step.blob();
        PullCommand c = step.command();
        if (c instanceof PullCommand.FetchFromPeer f) {
            int source = w.index(f.peer().id());
            int u = blobUnits[b][f.chunks().get(0)];
            if (dead[source]) {
                answer(node, b, PullEvent.Answered.failed(f.request(), PullEvent.Outcome.UNAVAILABLE, new IllegalStateException("dead")));
                return null;
            }
            if (uploads[source] >= s.engine().uploadSlots()) {
                refused[node] |= bit(b);
                answer(node, b, PullEvent.Answered.failed(f.request(), PullEvent.Outcome.BUSY, new IllegalStateException("all upload slots taken")));
                return null;
            }
            return withRequest(start(node, u, source, Transfer.From.of(f.kind()), t), f.request());
        }
        if (c instanceof PullCommand.FetchFromOrigin o) {
            int u = blobUnits[b][o.chunks().get(0)];
            if (upper.above(node) >= 0) {
                upper.ask(node, u, o.request(), t);
                return null;
            }
            return withRequest(start(node, u, Transfer.ORIGIN, Transfer.From.ORIGIN, t), o.request());
        }
        if (c instanceof PullCommand.AcquireLeases l) {
            leases(node, b, l);
        } else if (c instanceof PullCommand.ReleaseLeases r) {
            for (int chunk : r.chunks()) {
                clusters.release(clusters.of(node), blobUnits[b][chunk], node);
            }
        } else if (c instanceof PullCommand.Advertise a) {
            upper.nowHeld(clusters.of(node), b, clusters.advertise(node, b, a.held()), a.held(), now);
        } else if (c instanceof PullCommand.Penalise p) {
            distrusted.get(node).add(w.index(p.peer()));
        }
        return null;
    }

    private static Transfer withRequest(Transfer tr, int request) {
        tr.request = request;
        return tr;
    }

    /** The cluster's lease table: a span's lease is free unless another node holds it or a live cluster node holds the span. */
    private void leases(int node, int b, PullCommand.AcquireLeases l) {
        Set<Integer> granted = new HashSet<>();
        Map<Integer, NodeId> others = new HashMap<>();
        int cluster = clusters.of(node);
        for (int chunk : l.chunks()) {
            int u = blobUnits[b][chunk];
            int fetcher = clusters.leaseHolder(cluster, u);
            int holder = fetcher >= 0 && fetcher != node ? fetcher
                    : clusters.anyHolder(cluster, b, chunk, h -> h != node && !dead[h] && !distrusted.get(node).contains(h));
            if (holder >= 0) {
                others.put(chunk, w.info[holder].id());
            } else {
                clusters.grant(cluster, u, node);
                granted.add(chunk);
            }
        }
        answer(node, b, new PullEvent.LeasesAnswered(l.request(), granted, others));
    }

    /** Tells a live node's machine what happened; a dead node's machine hears nothing more (it takes no lease after death). */
    private void answer(int node, int b, PullEvent e) {
        PullMachine m = machines[node] == null ? null : machines[node][b];
        if (m != null && !dead[node]) {
            enqueue(node, b, m.on(e));
        }
    }

    /**
     * The upper tier brought span {@code unit} to {@code node}: its machine hears the answer to its origin
     * request {@code request}, or, for a span the node fetched for the tiers below (request 0), that it now holds it.
     */
    void delivered(int node, int unit, int request) {
        answer(node, unitBlob[unit], PullEvent.Answered.ok(request, Set.of(unitIndexInBlob[unit])));
    }

    /**
     * What the node's machine for blob {@code b} sees: up to {@code engine.candidates} of its cluster's live
     * holders, those with a free upload slot and a span the node lacks first (among a sample of
     * {@link #SCAN_PER_CANDIDATE} times as many), with their load; and whom it distrusts. A real node sees
     * every holder and asks only those with a free slot; the sample keeps each view small.
     */
    private PullEvent.Holders view(int node, int b) {
        List<Integer> pool = clusters.holders(clusters.of(node), b);
        Map<NodeInfo, ChunkBitmap> seen = new HashMap<>();
        Map<NodeId, Integer> load = new HashMap<>();
        List<Integer> full = new ArrayList<>();
        BitSet lacking = lacking(node, b);
        int want = s.engine().candidates();
        int n = pool.size();
        int begin = n == 0 ? 0 : rnd.nextInt(n);
        for (int k = 0; k < n && k < want * SCAN_PER_CANDIDATE && seen.size() < want; k++) {
            int h = pool.get((begin + k) % n);
            if (h != node && !dead[h]) {
                if (uploads[h] < s.engine().uploadSlots() && clusters.held(h, b).intersects(lacking)) {
                    seen.put(w.info[h], clusters.held(h, b));
                    load.put(w.info[h].id(), uploads[h]);
                } else {
                    full.add(h);
                }
            }
        }
        for (int k = 0; k < full.size() && seen.size() < want; k++) {
            int h = full.get(k);
            seen.put(w.info[h], clusters.held(h, b));
            load.put(w.info[h].id(), uploads[h]);
        }
        Set<NodeId> penalised = new HashSet<>();
        distrusted.get(node).forEach(d -> penalised.add(w.info[d].id()));
        return new PullEvent.Holders(seen, load, penalised);
    }

    /** Spans of blob {@code b} (by index in the blob) that {@code node} neither holds nor is fetching. */
    private BitSet lacking(int node, int b) {
        int[] units = blobUnits[b];
        BitSet out = new BitSet(units.length);
        for (int i = 0; i < units.length; i++) {
            if (!held[node].get(units[i]) && !inflight[node].get(units[i])) {
                out.set(i);
            }
        }
        return out;
    }

    private static long bit(int blob) {
        return 1L << Math.min(blob, 63);
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        at(t);
        boolean lied = ok && tr.source >= 0 && w.lying[tr.source];
        super.finished(tr, t, ok);
        if (tr.node < 0 || upper.finished(tr, ok, lied, t)) {
            return;
        }
        int b = unitBlob[tr.unit];
        PullEvent.Answered answer;
        if (!ok) {
            answer = PullEvent.Answered.failed(tr.request, PullEvent.Outcome.UNAVAILABLE, new IllegalStateException("transfer cut"));
        } else if (lied) {
            answer = PullEvent.Answered.failed(tr.request, PullEvent.Outcome.CORRUPT, new IllegalStateException("wrong bytes"));
        } else {
            answer = PullEvent.Answered.ok(tr.request, Set.of(unitIndexInBlob[tr.unit]));
        }
        answer(tr.node, b, answer);
    }

    @Override
    void kill(int node) {
        super.kill(node);
        clusters.forget(node);
        upper.killed(node, now);
    }
}
