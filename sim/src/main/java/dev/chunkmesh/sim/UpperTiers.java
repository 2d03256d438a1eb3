package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.ChunkBitmap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mesh's upper tiers. A POP with an upper tier sends the span fetches its pull machines would send
 * the origin (a span no node of the POP holds, under the POP's single-flight lease) to its upper-tier POP
 * instead, through that POP's nodes' peer APIs: its nodes never join the upper POP's cluster. The upper
 * POP serves the span from one of its nodes that holds it. If none does, the node the span maps to takes
 * the span's lease in the upper POP's cluster and fetches it once, from its own upper tier or, at a root
 * tier, from the origin, while every request for the span waits; then all of them are served.
 *
 * <p>Guarantees: single flight at every tier (a span leaves a POP's upper tier, or the origin, once per POP
 * and tier while no fault intervenes), and only root tiers fetch from the origin. Bytes from an upper tier
 * cross the serving node's up link and both POPs' uplinks. Faults: a request whose serving node dies is
 * asked again; a fill node that dies frees its lease and another node takes the span; a POP with no live
 * node is passed over for its own upper tier (the origin above a root); a node that got bad bytes from an
 * upper node leaves it out, and takes the span from the origin itself if no other node of that tier holds it.
 */
final class UpperTiers {
    /**
     * Who waits for a span at a tier: a pulling node's origin request ({@code request > 0}, answered to its
     * pull machine), or a node filling its own POP for the tiers below ({@code request == 0}).
     */
    private record Waiter(int node, int request) {}

    /** A span ready for a pulling node from {@code tier} (or from the origin, when -1), waiting for one of its transfer slots. */
    private record Ready(int tier, int unit, int request) {}

    private final MeshStrategy mesh;
    private final Clusters clusters;
    private final World w;
    private final int units;
    private final int[][] blobUnits;
    private final int[] indexInBlob;
    /** Waiters by {@code tier * units + unit}, and how many wait at each tier. */
    private final Map<Integer, List<Waiter>> waiting = new HashMap<>();
    private final int[] waitingAt;
    private final Map<Transfer, Waiter> jobs = new HashMap<>();
    private final ArrayDeque<Ready>[] ready;

    @SuppressWarnings("unchecked")
    UpperTiers(MeshStrategy mesh, Clusters clusters, Spans.SpanCut cut) {
        this.mesh = mesh;
        this.clusters = clusters;
        this.w = mesh.w;
        this.units = cut.indexInBlob().length;
        this.blobUnits = cut.blobUnits();
        this.indexInBlob = cut.indexInBlob();
        this.waitingAt = new int[w.pops];
        this.ready = new ArrayDeque[w.nodes];
    }

    /** The upper-tier POP that {@code node}'s cluster asks before the origin, or -1 if it asks the origin. */
    int above(int node) {
        return w.popUpper[clusters.of(node)];
    }

    /** {@code node} asks its cluster's upper tier for span {@code unit}: its machine's origin request {@code request}, or 0 for a fill. */
    void ask(int node, int unit, int request, double t) {
        askAt(new Waiter(node, request), above(node), unit, t);
    }

    /** The next transfer for a pulling node: a span its upper tier has ready for it; null if none. */
    Transfer next(int node, double t) {
        ArrayDeque<Ready> queue = ready[node];
        while (queue != null && !queue.isEmpty()) {
            Ready r = queue.poll();
            Transfer tr = take(new Waiter(node, r.request()), r.tier(), r.unit(), t);
            if (tr != null) {
                return tr;
            }
        }
        return null;
    }

    /** A node of {@code cluster} claimed {@code after} of blob {@code b} where it claimed {@code before}: whoever waits there for a span it added is served. */
    void nowHeld(int cluster, int b, ChunkBitmap before, ChunkBitmap after, double t) {
        if (waitingAt[cluster] == 0 || after.count() <= before.count()) {
            return;
        }
        for (int i = 0; i < after.length(); i++) {
            if (after.has(i) && !before.has(i)) {
                drive(cluster, blobUnits[b][i], t);
            }
        }
    }

    /** A transfer ended: if it was one of the tiers', carries it on and returns true. */
    boolean finished(Transfer tr, boolean ok, boolean lied, double t) {
        Waiter wt = jobs.remove(tr);
        if (wt == null) {
            return false;
        }
        if (mesh.dead[wt.node()]) {
            return true;
        }
        if (!ok || lied) {
            ask(wt.node(), tr.unit, wt.request(), t);
        } else if (wt.request() > 0) {
            mesh.delivered(wt.node(), tr.unit, wt.request());
        } else {
            int b = mesh.unitBlob[tr.unit];
            int cluster = clusters.of(wt.node());
            ChunkBitmap after = clusters.held(wt.node(), b).with(indexInBlob[tr.unit]);
            ChunkBitmap before = clusters.advertise(wt.node(), b, after);
            clusters.release(cluster, tr.unit, wt.node());
            mesh.delivered(wt.node(), tr.unit, 0);
            nowHeld(cluster, b, before, after, t);
        }
        return true;
    }

    /** A node died: it waits for nothing more, and the spans its tier waited on it for are fetched again. */
    void killed(int node, double t) {
        List<Integer> keys = new ArrayList<>();
        for (Map.Entry<Integer, List<Waiter>> e : waiting.entrySet()) {
            int before = e.getValue().size();
            e.getValue().removeIf(x -> x.node() == node);
            waitingAt[e.getKey() / units] -= before - e.getValue().size();
            keys.add(e.getKey());
        }
        keys.sort(null);
        for (int k : keys) {
            drive(k / units, k % units, t);
        }
    }

    private void askAt(Waiter wt, int tier, int unit, double t) {
        while (tier >= 0 && liveNode(tier, 0) < 0) {
            tier = w.popUpper[tier];
        }
        if (tier < 0) {
            deliver(wt, -1, unit, t);
            return;
        }
        waiting.computeIfAbsent(tier * units + unit, k -> new ArrayList<>()).add(wt);
        waitingAt[tier]++;
        drive(tier, unit, t);
    }

    /** Serves the span's waiters at {@code tier} if a node there holds it; else makes sure one node of the tier is fetching it. */
    private void drive(int tier, int unit, double t) {
        int key = tier * units + unit;
        List<Waiter> waiters = waiting.get(key);
        if (waiters == null) {
            return;
        }
        if (waiters.isEmpty()) {
            waiting.remove(key);
            return;
        }
        int b = mesh.unitBlob[unit];
        if (clusters.anyHolder(tier, b, indexInBlob[unit], h -> !mesh.dead[h]) >= 0) {
            waiting.remove(key);
            waitingAt[tier] -= waiters.size();
            waiters.forEach(x -> deliver(x, tier, unit, t));
            return;
        }
        if (clusters.leaseHolder(tier, unit) >= 0) {
            return;
        }
        int filler = liveNode(tier, unit);
        if (filler < 0) {
            waiting.remove(key);
            waitingAt[tier] -= waiters.size();
            waiters.forEach(x -> askAt(x, w.popUpper[tier], unit, t));
            return;
        }
        clusters.grant(tier, unit, filler);
        if (w.popUpper[tier] >= 0) {
            ask(filler, unit, 0, t);
        } else {
            mesh.pushed.add(begin(new Waiter(filler, 0), Transfer.ORIGIN, Transfer.From.ORIGIN, unit, t));
        }
    }

    /** A span is ready for {@code wt} at {@code tier} (-1: the origin): a pulling node takes it in a free transfer slot, a filler at once. */
    private void deliver(Waiter wt, int tier, int unit, double t) {
        if (wt.request() > 0) {
            if (ready[wt.node()] == null) {
                ready[wt.node()] = new ArrayDeque<>();
            }
            ready[wt.node()].add(new Ready(tier, unit, wt.request()));
            return;
        }
        Transfer tr = take(wt, tier, unit, t);
        if (tr != null) {
            mesh.pushed.add(tr);
        }
    }

    /**
     * The transfer of a ready span to {@code wt}: from the least loaded node of the tier that holds it and that
     * {@code wt} trusts, else from the origin if every holder is distrusted; null (waiting again) if no live node holds it now.
     */
    private Transfer take(Waiter wt, int tier, int unit, double t) {
        if (tier < 0) {
            return begin(wt, Transfer.ORIGIN, Transfer.From.ORIGIN, unit, t);
        }
        int b = mesh.unitBlob[unit];
        int chunk = indexInBlob[unit];
        int h = clusters.leastLoadedHolder(tier, b, chunk, x -> !mesh.dead[x] && !mesh.distrusted.get(wt.node()).contains(x), mesh.uploads);
        if (h >= 0) {
            return begin(wt, h, Transfer.From.UPPER, unit, t);
        }
        if (clusters.anyHolder(tier, b, chunk, x -> !mesh.dead[x]) >= 0) {
            return begin(wt, Transfer.ORIGIN, Transfer.From.ORIGIN, unit, t);
        }
        askAt(wt, tier, unit, t);
        return null;
    }

    private Transfer begin(Waiter wt, int source, Transfer.From from, int unit, double t) {
        Transfer tr = mesh.start(wt.node(), unit, source, from, t);
        jobs.put(tr, wt);
        return tr;
    }

    /** A live node of the POP itself (not its micro-hubs): the one span {@code unit} maps to, or the next live one; -1 if none. */
    private int liveNode(int pop, int unit) {
        List<Integer> members = w.popMembers.get(pop);
        for (int k = 0; k < members.size(); k++) {
            int n = members.get((unit + k) % members.size());
            if (!mesh.dead[n]) {
                return n;
            }
        }
        return -1;
    }
}
