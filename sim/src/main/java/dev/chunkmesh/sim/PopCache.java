package dev.chunkmesh.sim;

import java.util.BitSet;

/**
 * A pull-through cache per POP (and per micro-hub): nodes take whole blobs from it; it takes each
 * blob from the origin once, and serves it once it has it all. Its link to the nodes is as fast as
 * the POP's uplink.
 */
final class PopCache extends Strategy {
    private final BitSet[] cacheHeld;
    private final BitSet[] cacheFilling;

    PopCache(World w, Strategies.Cut c) {
        super(w, c.bytes(), c.blob());
        cacheHeld = new BitSet[w.pops];
        cacheFilling = new BitSet[w.pops];
        for (int p = 0; p < w.pops; p++) {
            cacheHeld[p] = new BitSet();
            cacheFilling[p] = new BitSet();
        }
    }

    @Override
    String name() {
        return "pop-cache";
    }

    @Override
    Transfer next(int node, double t) {
        int p = w.pop[node];
        for (int u = 0; u < unitBytes.length; u++) {
            if (held[node].get(u) || inflight[node].get(u)) {
                continue;
            }
            if (cacheHeld[p].get(u)) {
                return start(node, u, Transfer.CACHE, Transfer.From.CACHE, t);
            }
            if (!cacheFilling[p].get(u)) {
                cacheFilling[p].set(u);
                return new Transfer(-1 - p, u, Transfer.ORIGIN, Transfer.From.ORIGIN,
                        new int[] {w.originLink, w.popUplink[p], w.cacheLink[p]}, t + s.origin().latency(), unitBytes[u]);
            }
        }
        return null;
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        if (tr.node < 0) {
            int p = -1 - tr.node;
            cacheFilling[p].clear(tr.unit);
            if (ok) {
                cacheHeld[p].set(tr.unit);
            }
            return;
        }
        super.finished(tr, t, ok);
    }
}
