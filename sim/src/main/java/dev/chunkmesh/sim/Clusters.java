package dev.chunkmesh.sim;

import dev.chunkmesh.gossip.ChunkBitmap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What the mesh's clusters know, as a POP's Hazelcast cluster does: the spans each node advertises, the
 * nodes that hold any span of each blob, the single-flight lease table, and a generation bumped on every
 * change (a node whose machines saw an older one has a stale view). A micro-hub's nodes are in their
 * parent POP's cluster; every other POP, cache-only or not, is a cluster of its own: an upper tier is
 * reached through its nodes' peer APIs, never by joining its cluster.
 */
final class Clusters {
    private final World w;
    private final int blobs;
    private final int units;
    private final ChunkBitmap[][] bitmaps;
    /** Nodes holding any span of a blob, by {@code cluster * blobs + blob}. */
    private final List<List<Integer>> holders = new ArrayList<>();
    /** The node holding a span's single-flight lease, or -1, by {@code cluster * units + unit}. */
    private final int[] fetcher;
    private final long[] generation;

    /** @param spansPerBlob how many spans each blob has */
    Clusters(World w, int[] spansPerBlob, int units) {
        this.w = w;
        this.blobs = spansPerBlob.length;
        this.units = units;
        this.bitmaps = new ChunkBitmap[w.nodes][blobs];
        for (int i = 0; i < w.nodes; i++) {
            for (int b = 0; b < blobs; b++) {
                bitmaps[i][b] = ChunkBitmap.empty(spansPerBlob[b]);
            }
        }
        for (int i = 0; i < w.pops * blobs; i++) {
            holders.add(new ArrayList<>());
        }
        this.fetcher = new int[w.pops * units];
        Arrays.fill(fetcher, -1);
        this.generation = new long[w.pops];
    }

    /** The POP whose cluster a node is in: a micro-hub's nodes join their parent's. */
    int of(int node) {
        int p = w.pop[node];
        return w.popParent[p] >= 0 ? w.popParent[p] : p;
    }

    /** What {@code node} last claimed of blob {@code b}. */
    ChunkBitmap held(int node, int b) {
        return bitmaps[node][b];
    }

    /** Nodes of the cluster that claimed any span of blob {@code b} (dead ones included). */
    List<Integer> holders(int cluster, int b) {
        return holders.get(cluster * blobs + b);
    }

    long generation(int cluster) {
        return generation[cluster];
    }

    /** Replaces what {@code node} claims of blob {@code b}; returns what it claimed before. */
    ChunkBitmap advertise(int node, int b, ChunkBitmap held) {
        ChunkBitmap before = bitmaps[node][b];
        if (before.count() == 0 && held.count() > 0) {
            holders(of(node), b).add(node);
        }
        bitmaps[node][b] = held;
        generation[of(node)]++;
        return before;
    }

    /** The node holding the span's single-flight lease in the cluster, or -1. */
    int leaseHolder(int cluster, int unit) {
        return fetcher[cluster * units + unit];
    }

    void grant(int cluster, int unit, int node) {
        fetcher[cluster * units + unit] = node;
    }

    /** Gives the span's lease back if {@code node} holds it. */
    void release(int cluster, int unit, int node) {
        int k = cluster * units + unit;
        if (fetcher[k] == node) {
            fetcher[k] = -1;
        }
    }

    /** A node died: its leases are free, and its cluster's view of holders is stale. */
    void forget(int node) {
        generation[of(node)]++;
        for (int k = 0; k < fetcher.length; k++) {
            if (fetcher[k] == node) {
                fetcher[k] = -1;
            }
        }
    }

    /** The first node of the cluster, in advert order, that claims span {@code chunk} of blob {@code b} and passes {@code usable}; -1 if none. */
    int anyHolder(int cluster, int b, int chunk, IntPredicate usable) {
        for (int h : holders(cluster, b)) {
            if (bitmaps[h][b].has(chunk) && usable.test(h)) {
                return h;
            }
        }
        return -1;
    }

    /** Of the cluster's nodes that claim the span and pass {@code usable}, the one with the fewest {@code load}; -1 if none. */
    int leastLoadedHolder(int cluster, int b, int chunk, IntPredicate usable, int[] load) {
        int best = -1;
        for (int h : holders(cluster, b)) {
            if (bitmaps[h][b].has(chunk) && usable.test(h) && (best < 0 || load[h] < load[best])) {
                best = h;
            }
        }
        return best;
    }
}
