package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole-blob P2P inside a POP, as Spegel does: a node takes a blob from a POP peer that holds all of
 * it (the least loaded of a few), else from the origin. No coordination: nodes that find no holder
 * all go to the origin, and a blob still downloading is not shared.
 */
final class BlobP2p extends Strategy {
    private final List<List<List<Integer>>> holders = new ArrayList<>();

    BlobP2p(World w, Strategies.Cut c) {
        super(w, c.bytes(), c.blob());
        for (int p = 0; p < w.pops; p++) {
            List<List<Integer>> perUnit = new ArrayList<>();
            for (int u = 0; u < unitBytes.length; u++) {
                perUnit.add(new ArrayList<>());
            }
            holders.add(perUnit);
        }
    }

    @Override
    String name() {
        return "blob-p2p";
    }

    @Override
    Transfer next(int node, double t) {
        for (int u = 0; u < unitBytes.length; u++) {
            if (held[node].get(u) || inflight[node].get(u)) {
                continue;
            }
            int peer = leastLoaded(node, holders.get(w.pop[node]).get(u), s.engine().candidates());
            return peer >= 0 ? start(node, u, peer, Transfer.From.PEER, t) : start(node, u, Transfer.ORIGIN, Transfer.From.ORIGIN, t);
        }
        return null;
    }

    @Override
    void stored(int node, int unit, double t) {
        holders.get(w.pop[node]).get(unit).add(node);
    }
}
