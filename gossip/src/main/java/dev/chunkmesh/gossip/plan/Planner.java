package dev.chunkmesh.gossip.plan;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Tier;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides where each missing chunk of a blob comes from. A pure function: no I/O, no clock, no
 * randomness, so the node and the simulator run the same decisions and equal inputs give equal plans.
 *
 * <p>Rules, in order: a chunk held locally is not fetched; otherwise it comes from the nearest tier
 * that has it (same POP, then the micro-hub's parent POP, then any other node), and only when no
 * node has it, from the origin, with adjacent origin chunks joined into Range requests. Chunks are
 * placed rarest first (fewest holders), each on the least loaded holder of its tier, load being the
 * holder's active transfers plus what this plan already gave it; ties go to the smaller node name.
 */
public final class Planner {

    private Planner() {
    }

    /** Plans the fetch of {@code recipe} for {@code self}, which holds {@code local}. */
    public static Plan plan(NodeInfo self, Recipe recipe, ChunkBitmap local, Collection<Candidate> candidates, PlanLimits limits) {
        List<ChunkRef> chunks = recipe.chunks();
        if (local.length() != chunks.size()) {
            throw new IllegalArgumentException("local bitmap has " + local.length() + " chunks, the recipe " + chunks.size());
        }
        List<Candidate> usable = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!c.node().id().equals(self.id()) && !limits.excluded().contains(c.node().id())) {
                if (c.held().length() != chunks.size()) {
                    throw new IllegalArgumentException("node " + c.node().id() + " claims a " + c.held().length()
                            + "-chunk bitmap for a " + chunks.size() + "-chunk recipe");
                }
                usable.add(c);
            }
        }
        long averageChunk = chunks.isEmpty() ? 1 : Math.max(1, recipe.size() / chunks.size());
        Map<Candidate, Long> load = new IdentityHashMap<>();
        usable.forEach(c -> load.put(c, c.activeTransfers() * averageChunk));

        Map<SourceKind, Long> bytes = new EnumMap<>(SourceKind.class);
        List<Integer> missing = new ArrayList<>();
        int[] holderCount = new int[chunks.size()];
        long localBytes = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (local.has(i)) {
                localBytes += chunks.get(i).length();
                continue;
            }
            missing.add(i);
            for (Candidate c : usable) {
                if (c.held().has(i)) {
                    holderCount[i]++;
                }
            }
        }
        if (localBytes > 0) {
            bytes.put(SourceKind.LOCAL, localBytes);
        }
        missing.sort(Comparator.comparingInt((Integer i) -> holderCount[i]).thenComparingInt(i -> i));

        Map<Candidate, List<Integer>> byPeer = new TreeMap<>(Comparator.comparing(c -> c.node().id()));
        List<Integer> fromOrigin = new ArrayList<>();
        for (int i : missing) {
            Candidate best = null;
            SourceKind bestKind = SourceKind.ORIGIN;
            for (Candidate c : usable) {
                if (!c.held().has(i)) {
                    continue;
                }
                SourceKind kind = kindOf(self, c.node());
                if (best == null || kind.ordinal() < bestKind.ordinal()
                        || (kind == bestKind && lessLoaded(c, best, load))) {
                    best = c;
                    bestKind = kind;
                }
            }
            long length = chunks.get(i).length();
            if (best == null) {
                fromOrigin.add(i);
                bytes.merge(SourceKind.ORIGIN, length, Long::sum);
            } else {
                byPeer.computeIfAbsent(best, k -> new ArrayList<>()).add(i);
                load.merge(best, length, Long::sum);
                bytes.merge(bestKind, length, Long::sum);
            }
        }

        List<Assignment> assignments = new ArrayList<>();
        byPeer.forEach((c, idx) -> {
            idx.sort(null);
            long b = idx.stream().mapToLong(i -> chunks.get(i).length()).sum();
            assignments.add(new Assignment.FromPeer(c.node(), kindOf(self, c.node()), idx, b));
        });
        assignments.addAll(originRanges(chunks, fromOrigin, limits.maxOriginRangeBytes()));
        return new Plan(assignments, bytes);
    }

    /** How {@code other} relates to {@code self}. */
    public static SourceKind kindOf(NodeInfo self, NodeInfo other) {
        if (other.pop().equals(self.pop())) {
            return SourceKind.SAME_POP;
        }
        if (self.tier() == Tier.MICRO_HUB && self.parentPop().orElseThrow().equals(other.pop())) {
            return SourceKind.PARENT;
        }
        return SourceKind.OTHER_POP;
    }

    private static boolean lessLoaded(Candidate a, Candidate b, Map<Candidate, Long> load) {
        int c = Long.compare(load.get(a), load.get(b));
        return c < 0 || (c == 0 && a.node().id().compareTo(b.node().id()) < 0);
    }

    private static List<Assignment> originRanges(List<ChunkRef> chunks, List<Integer> indexes, long maxRange) {
        List<Integer> sorted = new ArrayList<>(indexes);
        sorted.sort(null);
        List<Assignment> out = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        long runBytes = 0;
        for (int i : sorted) {
            long length = chunks.get(i).length();
            boolean adjacent = !run.isEmpty() && run.get(run.size() - 1) == i - 1;
            if (!run.isEmpty() && (!adjacent || runBytes + length > maxRange)) {
                out.add(range(chunks, run, runBytes));
                run = new ArrayList<>();
                runBytes = 0;
            }
            run.add(i);
            runBytes += length;
        }
        if (!run.isEmpty()) {
            out.add(range(chunks, run, runBytes));
        }
        return out;
    }

    private static Assignment range(List<ChunkRef> chunks, List<Integer> run, long bytes) {
        return new Assignment.FromOrigin(chunks.get(run.get(0)).offset(), bytes, run);
    }
}
