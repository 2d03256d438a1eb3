package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How nodes get a release under one distribution strategy. The release is cut into the strategy's
 * transfer units (whole blobs, fixed pieces, or the mesh's spans of chunks); each node needs some of
 * them, and {@link #next} says which unit a node should fetch next and from where. Shared here: who
 * holds what, in-flight marks, uploads per node for load spreading, and what lying peers cost.
 */
abstract class Strategy {
    final World w;
    final Scenario s;
    final long[] unitBytes;
    final int[] unitBlob;
    final BitSet[] held;
    final BitSet[] inflight;
    final int[] uploads;
    /** The most transfers any node served at once so far. */
    int peakUploads;
    final int[] heldCount;
    final boolean[] dead;
    final List<Set<Integer>> distrusted = new ArrayList<>();
    final SplittableRandom rnd;
    /**
     * Transfers the strategy started on its own rather than from {@link #next} (an upper tier serving what
     * it fetched for the tiers below); the simulation takes them in before it next shares the links.
     */
    final List<Transfer> pushed = new ArrayList<>();
    long wastedBytes;

    Strategy(World w, long[] unitBytes, int[] unitBlob) {
        this.w = w;
        this.s = w.scenario;
        this.unitBytes = unitBytes;
        this.unitBlob = unitBlob;
        this.held = new BitSet[w.nodes];
        this.inflight = new BitSet[w.nodes];
        for (int i = 0; i < w.nodes; i++) {
            held[i] = new BitSet(unitBytes.length);
            inflight[i] = new BitSet(unitBytes.length);
            distrusted.add(new HashSet<>());
        }
        this.uploads = new int[w.nodes];
        this.heldCount = new int[w.nodes];
        this.dead = new boolean[w.nodes];
        this.rnd = new SplittableRandom(s.seed() * 31 + getClass().getSimpleName().hashCode());
    }

    abstract String name();

    /** Transfers a node keeps in flight at most: the engine's {@code concurrency} unless the strategy has its own rule. */
    int concurrency() {
        return s.engine().concurrency();
    }

    /** How far virtual time jumps when no transfer is in flight: the strategy starts nothing new sooner (1 s unless it says otherwise). */
    double idleStep() {
        return 1.0;
    }

    /** The next transfer for {@code node} at time {@code t}, or null if it has nothing it can start now. */
    abstract Transfer next(int node, double t);

    /** A node has every unit. */
    boolean complete(int node) {
        return heldCount[node] == unitBytes.length;
    }

    /** Bytes of the release a node already held before it started (a delta release). */
    long localBytes(Workload wl) {
        long needed = 0;
        for (long b : unitBytes) {
            needed += b;
        }
        return wl.totalBytes() - needed;
    }

    /** A transfer ended; {@code ok} is false if it was cut (a dead node, an outage of its source). */
    void finished(Transfer tr, double t, boolean ok) {
        if (tr.node >= 0) {
            inflight[tr.node].clear(tr.unit);
        }
        if (tr.source >= 0) {
            uploads[tr.source]--;
        }
        if (!ok) {
            return;
        }
        if (tr.source >= 0 && w.lying[tr.source]) {
            wastedBytes += tr.bytes;
            distrusted.get(tr.node).add(tr.source);
            return;
        }
        if (tr.node >= 0 && !held[tr.node].get(tr.unit)) {
            held[tr.node].set(tr.unit);
            heldCount[tr.node]++;
            stored(tr.node, tr.unit, t);
        }
    }

    /** Hook: {@code node} now holds {@code unit}. */
    void stored(int node, int unit, double t) {
    }

    Transfer start(int node, int unit, int source, Transfer.From from, double t) {
        inflight[node].set(unit);
        if (source >= 0) {
            peakUploads = Math.max(peakUploads, ++uploads[source]);
        }
        return new Transfer(node, unit, source, from, path(node, source, from), t + latency(from), unitBytes[unit]);
    }

    int[] path(int node, int source, Transfer.From from) {
        return switch (from) {
            case ORIGIN -> new int[] {w.originLink, w.popUplink[w.pop[node]], w.downLink[node]};
            case CACHE -> new int[] {w.cacheLink[w.pop[node]], w.downLink[node]};
            case PEER -> new int[] {w.upLink[source], w.downLink[node]};
            case PARENT, UPPER, OTHER_POP -> new int[] {w.upLink[source], w.popUplink[w.pop[source]], w.popUplink[w.pop[node]], w.downLink[node]};
        };
    }

    double latency(Transfer.From from) {
        return switch (from) {
            case ORIGIN -> s.origin().latency();
            case CACHE, PEER -> s.latency().samePop();
            case PARENT -> s.latency().parent();
            case UPPER -> s.latency().upper();
            case OTHER_POP -> s.latency().wan();
        };
    }

    /** The least loaded usable holder among up to {@code candidates} sampled from {@code holders}, or -1. */
    int leastLoaded(int node, List<Integer> holders, int candidates) {
        int best = -1;
        int n = holders.size();
        if (n == 0) {
            return -1;
        }
        int tries = Math.min(n, candidates);
        int startAt = rnd.nextInt(n);
        for (int k = 0; k < n && tries > 0; k++) {
            int h = holders.get((startAt + k) % n);
            if (h == node || dead[h] || distrusted.get(node).contains(h)) {
                continue;
            }
            tries--;
            if (best < 0 || uploads[h] < uploads[best]) {
                best = h;
            }
        }
        return best;
    }

    /** The node died: it fetches and serves nothing more. */
    void kill(int node) {
        dead[node] = true;
    }
}
