package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.plan.Assignment;
import dev.chunkmesh.gossip.plan.Candidate;
import dev.chunkmesh.gossip.plan.Plan;
import dev.chunkmesh.gossip.plan.PlanLimits;
import dev.chunkmesh.gossip.plan.Planner;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
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
 * partial holdings shared within the POP's cluster (a POP and its micro-hubs); single flight per
 * cluster for anything taken from outside it; and the nodes' own {@link Planner} choosing, for each
 * node, which holder serves which span (nearest tier, rarest first, least loaded) or the origin.
 * A node keeps its plan until it has nothing left to start, then plans again (at most every
 * {@value #REPLAN_SECONDS} s, and only once something changed in its cluster), as a real node does
 * between rounds.
 */
final class MeshStrategy extends Strategy {
    static final double REPLAN_SECONDS = 0.05;

    private final Recipe[] spanRecipes;
    private final int[][] blobUnits;
    private final int[] unitIndexInBlob;
    private final ChunkBitmap[][] bitmaps;
    /** Nodes holding any span of a blob, by {@code cluster * blobs + blob}. */
    private final List<List<Integer>> holders = new ArrayList<>();
    /** The node fetching a span from outside its cluster, or -1, by {@code cluster * units + unit}. */
    private final int[] clusterFetcher;
    /** Whether any node of the cluster holds a span, by {@code cluster * units + unit}. */
    private final BitSet clusterHeld = new BitSet();
    private final List<ArrayDeque<int[]>> plans = new ArrayList<>();
    private final double[] lastPlan;
    /** Bumped whenever a node of the cluster stores a span or stops fetching one: plans made before may be stale. */
    private final long[] generation;
    private final long[] plannedAt;

    MeshStrategy(World w, Workload wl) {
        this(w, spans(wl, w.scenario.engine().spanBytes()));
    }

    private MeshStrategy(World w, SpanCut c) {
        super(w, c.cut().bytes(), c.cut().blob());
        this.spanRecipes = c.recipes();
        this.blobUnits = c.blobUnits();
        this.unitIndexInBlob = c.indexInBlob();
        this.bitmaps = new ChunkBitmap[w.nodes][spanRecipes.length];
        for (int i = 0; i < w.nodes; i++) {
            for (int b = 0; b < spanRecipes.length; b++) {
                bitmaps[i][b] = ChunkBitmap.empty(blobUnits[b].length);
            }
            plans.add(new ArrayDeque<>());
        }
        for (int i = 0; i < w.pops * spanRecipes.length; i++) {
            holders.add(new ArrayList<>());
        }
        this.clusterFetcher = new int[w.pops * unitBytes.length];
        java.util.Arrays.fill(clusterFetcher, -1);
        this.lastPlan = new double[w.nodes];
        this.generation = new long[w.pops];
        this.plannedAt = new long[w.nodes];
        java.util.Arrays.fill(lastPlan, -1);
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

    @Override
    Transfer next(int node, double t) {
        ArrayDeque<int[]> plan = plans.get(node);
        while (true) {
            while (!plan.isEmpty()) {
                int[] step = plan.poll();
                int u = step[0];
                int source = step[1];
                if (held[node].get(u) || inflight[node].get(u)) {
                    continue;
                }
                if (source >= 0) {
                    if (dead[source] || distrusted.get(node).contains(source)) {
                        continue;
                    }
                    return start(node, u, source, tierOf(node, source), t);
                }
                int k = unitKey(cluster(node), u);
                if (clusterFetcher[k] >= 0 || (clusterHeld.get(k) && usableHolder(node, u))) {
                    continue;
                }
                clusterFetcher[k] = node;
                return start(node, u, Transfer.ORIGIN, Transfer.Tier.ORIGIN, t);
            }
            int c = cluster(node);
            if (lastPlan[node] >= 0 && (t - lastPlan[node] < REPLAN_SECONDS || plannedAt[node] == generation[c])) {
                return null;
            }
            lastPlan[node] = t;
            plannedAt[node] = generation[c];
            replan(node);
            if (plan.isEmpty()) {
                return null;
            }
        }
    }

    /** Whether some live holder in the node's cluster, not distrusted by it, has {@code unit}. */
    private boolean usableHolder(int node, int unit) {
        int b = unitBlob[unit];
        for (int h : blobHolders(cluster(node), b)) {
            if (h != node && !dead[h] && !distrusted.get(node).contains(h) && bitmaps[h][b].has(unitIndexInBlob[unit])) {
                return true;
            }
        }
        return false;
    }

    private Transfer.Tier tierOf(int node, int source) {
        SourceKind k = Planner.kindOf(w.info[node], w.info[source]);
        return switch (k) {
            case SAME_POP -> Transfer.Tier.PEER;
            case PARENT -> Transfer.Tier.PARENT;
            default -> Transfer.Tier.OTHER_POP;
        };
    }

    /** Plans every blob the node still misses with the real planner, over a sample of its cluster's holders. */
    private void replan(int node) {
        ArrayDeque<int[]> plan = plans.get(node);
        for (int b = 0; b < spanRecipes.length; b++) {
            if (blobUnits[b].length == 0 || bitmaps[node][b].complete()) {
                continue;
            }
            BitSet busy = new BitSet();
            for (int k = 0; k < blobUnits[b].length; k++) {
                if (held[node].get(blobUnits[b][k]) || inflight[node].get(blobUnits[b][k])) {
                    busy.set(k);
                }
            }
            List<Candidate> candidates = new ArrayList<>();
            List<Integer> pool = blobHolders(cluster(node), b);
            int n = pool.size();
            int start = n == 0 ? 0 : rnd.nextInt(n);
            Set<NodeId> excluded = new HashSet<>();
            for (int k = 0; k < n && candidates.size() < s.engine().candidates(); k++) {
                int h = pool.get((start + k) % n);
                if (h == node || dead[h]) {
                    continue;
                }
                if (distrusted.get(node).contains(h)) {
                    excluded.add(w.info[h].id());
                }
                candidates.add(new Candidate(w.info[h], bitmaps[h][b], uploads[h]));
            }
            Plan p = Planner.plan(w.info[node], spanRecipes[b], ChunkBitmap.of(blobUnits[b].length, busy), candidates,
                    new PlanLimits(Long.MAX_VALUE, excluded));
            Map<NodeId, Integer> byId = new HashMap<>();
            for (Candidate c : candidates) {
                byId.put(c.node().id(), Integer.parseInt(c.node().id().name().substring(1)));
            }
            List<int[]> steps = new ArrayList<>();
            for (Assignment a : p.assignments()) {
                int source = a instanceof Assignment.FromPeer fp ? byId.get(fp.node().id()) : Transfer.ORIGIN;
                for (int chunk : a.chunks()) {
                    steps.add(new int[] {blobUnits[b][chunk], source, chunk});
                }
            }
            steps.sort(java.util.Comparator.comparingInt(x -> x[2]));
            plan.addAll(steps);
        }
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        if (tr.node >= 0) {
            generation[cluster(tr.node)]++;
        }
        if (tr.source == Transfer.ORIGIN && tr.node >= 0) {
            int k = unitKey(cluster(tr.node), tr.unit);
            if (clusterFetcher[k] == tr.node) {
                clusterFetcher[k] = -1;
            }
        }
        super.finished(tr, t, ok);
    }

    @Override
    void stored(int node, int unit, double t) {
        int b = unitBlob[unit];
        clusterHeld.set(unitKey(cluster(node), unit));
        if (bitmaps[node][b].count() == 0) {
            blobHolders(cluster(node), b).add(node);
        }
        bitmaps[node][b] = bitmaps[node][b].with(unitIndexInBlob[unit]);
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
