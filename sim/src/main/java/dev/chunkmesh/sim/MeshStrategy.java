package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.gossip.pull.PullCommand;
import dev.chunkmesh.gossip.pull.PullEvent;
import dev.chunkmesh.gossip.pull.PullMachine;
import dev.chunkmesh.gossip.pull.PullRules;
import dev.chunkmesh.gossip.pull.SettableClock;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
 * updates what the cluster sees (and wakes the other nodes' machines, as a Hazelcast listener does).
 */
final class MeshStrategy extends Strategy {
    /**
     * Sim seconds between the holder refreshes a node's machines get at most, given only when the node has
     * nothing queued to start and its cluster changed (as a real node's Hazelcast listener would wake it).
     */
    static final double REPLAN_SECONDS = 0.05;
    /** Without a change, a node's machines are ticked this often (their lease retries come due). */
    static final double LEASE_RETRY_SECONDS = 1.0;
    /**
     * The machine's rules in the simulator: one span per request, at most the engine's transfers per node
     * in flight, timeouts beyond any simulated run.
     */
    private final PullRules rules;

    private final Recipe[] spanRecipes;
    private final int[][] blobUnits;
    private final int[] unitIndexInBlob;
    private final ChunkBitmap[][] bitmaps;
    /** Nodes holding any span of a blob, by {@code cluster * blobs + blob}. */
    private final List<List<Integer>> holders = new ArrayList<>();
    /** The node holding a span's single-flight lease, or -1, by {@code cluster * units + unit}. */
    private final int[] clusterFetcher;
    private final PullMachine[][] machines;
    private final List<ArrayDeque<Step>> queues = new ArrayList<>();
    private final SettableClock clock = new SettableClock(Instant.EPOCH);
    private final double[] lastTick;
    /** Bumped whenever a node of the cluster advertises or dies: the holders its nodes' machines saw may be stale. */
    private final long[] generation;
    private final long[] seenGeneration;

    /** A command of one of a node's machines, waiting for a free transfer slot. */
    private record Step(int blob, PullCommand command) {}

    MeshStrategy(World w, Workload wl) {
        this(w, spans(wl, w.scenario.engine().spanBytes()));
    }

    private MeshStrategy(World w, SpanCut c) {
        super(w, c.cut().bytes(), c.cut().blob());
        this.spanRecipes = c.recipes();
        this.blobUnits = c.blobUnits();
        this.unitIndexInBlob = c.indexInBlob();
        this.bitmaps = new ChunkBitmap[w.nodes][spanRecipes.length];
        this.machines = new PullMachine[w.nodes][];
        for (int i = 0; i < w.nodes; i++) {
            for (int b = 0; b < spanRecipes.length; b++) {
                bitmaps[i][b] = ChunkBitmap.empty(blobUnits[b].length);
            }
            queues.add(new ArrayDeque<>());
        }
        for (int i = 0; i < w.pops * spanRecipes.length; i++) {
            holders.add(new ArrayList<>());
        }
        this.clusterFetcher = new int[w.pops * unitBytes.length];
        Arrays.fill(clusterFetcher, -1);
        this.lastTick = new double[w.nodes];
        this.generation = new long[w.pops];
        this.seenGeneration = new long[w.nodes];
        this.rules = new PullRules(1, 2, 4, w.scenario.engine().concurrency(), 1, Duration.ofDays(30), Duration.ofDays(30), Duration.ofSeconds(1),
                Duration.ofMillis(50), 3);
    }

    private record SpanCut(Strategies.Cut cut, Recipe[] recipes, int[][] blobUnits, int[] indexInBlob) {}

    /** Runs of new chunks up to {@code spanBytes}; per blob, a recipe of its spans for the planner. */
    static SpanCut spans(Workload wl, long spanBytes) {
        List<long[]> units = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        Recipe[] recipes = new Recipe[wl.blobs().size()];
        int[][] blobUnits = new int[wl.blobs().size()][];
        for (int b = 0; b < wl.blobs().size(); b++) {
            Workload.Blob blob = wl.blobs().get(b);
            List<Long> spans = new ArrayList<>();
            long run = 0;
            var chunks = blob.recipe().chunks();
            for (int i = 0; i < chunks.size(); i++) {
                boolean need = blob.needed()[i];
                if ((!need || run + chunks.get(i).length() > spanBytes) && run > 0) {
                    spans.add(run);
                    run = 0;
                }
                if (need) {
                    run += chunks.get(i).length();
                }
            }
            if (run > 0) {
                spans.add(run);
            }
            List<ChunkRef> refs = new ArrayList<>();
            long offset = 0;
            blobUnits[b] = new int[spans.size()];
            for (int k = 0; k < spans.size(); k++) {
                blobUnits[b][k] = units.size();
                units.add(new long[] {spans.get(k), b});
                index.add(k);
                refs.add(new ChunkRef(offset, (int) (long) spans.get(k), Digest.sha256(("span " + b + "/" + k).getBytes())));
                offset += spans.get(k);
            }
            recipes[b] = new Recipe(blob.recipe().blob(), offset, refs);
        }
        return new SpanCut(Strategies.cut(units), recipes, blobUnits, index.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    String name() {
        return "mesh";
    }

    /** The POP whose cluster a node is in: a micro-hub joins its parent's. */
    private int cluster(int node) {
        int p = w.pop[node];
        return w.popParent[p] >= 0 ? w.popParent[p] : p;
    }

    private int unitKey(int cluster, int unit) {
        return cluster * unitBytes.length + unit;
    }

    private List<Integer> blobHolders(int cluster, int blob) {
        return holders.get(cluster * spanRecipes.length + blob);
    }

    private static int index(NodeInfo n) {
        return index(n.id());
    }

    private static int index(NodeId id) {
        return Integer.parseInt(id.name().substring(1));
    }

    private void at(double t) {
        Instant now = Instant.EPOCH.plusNanos((long) (t * 1e9));
        if (now.isAfter(clock.instant())) {
            clock.set(now);
        }
    }

    @Override
    Transfer next(int node, double t) {
        at(t);
        ArrayDeque<Step> queue = queues.get(node);
        if (machines[node] == null) {
            machines[node] = new PullMachine[spanRecipes.length];
            seenGeneration[node] = generation[cluster(node)];
            lastTick[node] = t;
            for (int b = 0; b < spanRecipes.length; b++) {
                if (blobUnits[b].length > 0) {
                    machines[node][b] = new PullMachine(w.info[node], spanRecipes[b], ChunkBitmap.empty(blobUnits[b].length), rules, clock);
                    enqueue(node, b, machines[node][b].start(view(node, b)));
                }
            }
        } else if (queue.isEmpty() && t - lastTick[node] >= REPLAN_SECONDS
                && (seenGeneration[node] != generation[cluster(node)] || t - lastTick[node] >= LEASE_RETRY_SECONDS)) {
            lastTick[node] = t;
            boolean stale = seenGeneration[node] != generation[cluster(node)];
            seenGeneration[node] = generation[cluster(node)];
            for (int b = 0; b < spanRecipes.length; b++) {
                PullMachine m = machines[node][b];
                if (m != null && !m.over()) {
                    enqueue(node, b, m.on(stale ? view(node, b) : new PullEvent.Tick()));
                }
            }
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
                carryOut(node, new Step(blob, c), Double.NaN);
            }
        }
    }

    /** Carries out one command: a transfer for a fetch (null for anything else, done at once). */
    private Transfer carryOut(int node, Step step, double t) {
        int b = step.blob();
        PullCommand c = step.command();
        if (c instanceof PullCommand.FetchFromPeer f) {
            int source = index(f.peer());
            int u = blobUnits[b][f.chunks().get(0)];
            if (dead[source]) {
                answer(node, b, PullEvent.Answered.failed(f.request(), PullEvent.Outcome.UNAVAILABLE, new IllegalStateException("dead")));
                return null;
            }
            return withRequest(start(node, u, source, tierOf(f.kind()), t), f.request());
        }
        if (c instanceof PullCommand.FetchFromOrigin o) {
            return withRequest(start(node, blobUnits[b][o.chunks().get(0)], Transfer.ORIGIN, Transfer.Tier.ORIGIN, t), o.request());
        }
        if (c instanceof PullCommand.AcquireLeases l) {
            leases(node, b, l);
        } else if (c instanceof PullCommand.ReleaseLeases r) {
            for (int chunk : r.chunks()) {
                int k = unitKey(cluster(node), blobUnits[b][chunk]);
                if (clusterFetcher[k] == node) {
                    clusterFetcher[k] = -1;
                }
            }
        } else if (c instanceof PullCommand.Advertise a) {
            advertise(node, b, a.held());
        } else if (c instanceof PullCommand.Penalise p) {
            distrusted.get(node).add(index(p.peer()));
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
        for (int chunk : l.chunks()) {
            int u = blobUnits[b][chunk];
            int k = unitKey(cluster(node), u);
            int holder = clusterFetcher[k] >= 0 && clusterFetcher[k] != node ? clusterFetcher[k] : liveHolder(node, b, chunk);
            if (holder >= 0) {
                others.put(chunk, w.info[holder].id());
            } else {
                clusterFetcher[k] = node;
                granted.add(chunk);
            }
        }
        answer(node, b, new PullEvent.LeasesAnswered(l.request(), granted, others));
    }

    /** A live node of the cluster, other than {@code node} and not distrusted by it, that holds the span; -1 if none. */
    private int liveHolder(int node, int b, int chunk) {
        for (int h : blobHolders(cluster(node), b)) {
            if (h != node && !dead[h] && !distrusted.get(node).contains(h) && bitmaps[h][b].has(chunk)) {
                return h;
            }
        }
        return -1;
    }

    private void advertise(int node, int b, ChunkBitmap held) {
        if (bitmaps[node][b].count() == 0 && held.count() > 0) {
            blobHolders(cluster(node), b).add(node);
        }
        bitmaps[node][b] = held;
        generation[cluster(node)]++;
    }

    private void answer(int node, int b, PullEvent e) {
        PullMachine m = machines[node][b];
        if (m != null) {
            enqueue(node, b, m.on(e));
        }
    }

    /** What the node's machine for blob {@code b} sees: a sample of its cluster's live holders, and whom it distrusts. */
    private PullEvent.Holders view(int node, int b) {
        List<Integer> pool = blobHolders(cluster(node), b);
        Map<NodeInfo, ChunkBitmap> seen = new HashMap<>();
        int n = pool.size();
        int begin = n == 0 ? 0 : rnd.nextInt(n);
        for (int k = 0; k < n && seen.size() < s.engine().candidates(); k++) {
            int h = pool.get((begin + k) % n);
            if (h != node && !dead[h]) {
                seen.put(w.info[h], bitmaps[h][b]);
            }
        }
        Map<NodeId, Integer> load = new HashMap<>();
        seen.keySet().forEach(h -> load.put(h.id(), uploads[index(h)]));
        Set<NodeId> penalised = new HashSet<>();
        distrusted.get(node).forEach(d -> penalised.add(w.info[d].id()));
        return new PullEvent.Holders(seen, load, penalised);
    }

    private static Transfer.Tier tierOf(SourceKind k) {
        return switch (k) {
            case SAME_POP -> Transfer.Tier.PEER;
            case PARENT -> Transfer.Tier.PARENT;
            default -> Transfer.Tier.OTHER_POP;
        };
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        at(t);
        boolean lied = ok && tr.source >= 0 && w.lying[tr.source];
        super.finished(tr, t, ok);
        if (tr.node < 0) {
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
        generation[cluster(node)]++;
        for (int k = 0; k < clusterFetcher.length; k++) {
            if (clusterFetcher[k] == node) {
                clusterFetcher[k] = -1;
            }
        }
    }
}
