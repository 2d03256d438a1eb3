package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Fixed-size pieces with a fleet-wide tracker, as Kraken does: a node takes pieces from any peer in
 * the fleet that has them (the least loaded of a few, wherever it is), else from the origin, which
 * seeds: it sends a piece to one node at a time, and a node that finds every piece it lacks on its way
 * from the origin to another node waits for a peer to hold one (Kraken's origin is one seeder among
 * the peers, not a server every agent downloads from). Pieces are tried from a random starting point
 * per node (Kraken picks rarest first; a random start spreads pieces similarly at a fraction of the cost).
 */
final class PieceP2p extends Strategy {
    private final List<List<Integer>> holders = new ArrayList<>();
    private final int[] cursor;
    /** Pieces on their way from the origin to some node. */
    private final BitSet seeding = new BitSet();

    PieceP2p(World w, Strategies.Cut c) {
        super(w, c.bytes(), c.blob());
        for (int u = 0; u < unitBytes.length; u++) {
            holders.add(new ArrayList<>());
        }
        cursor = new int[w.nodes];
        for (int i = 0; i < w.nodes; i++) {
            cursor[i] = unitBytes.length == 0 ? 0 : rnd.nextInt(unitBytes.length);
        }
    }

    @Override
    String name() {
        return "piece-p2p";
    }

    @Override
    Transfer next(int node, double t) {
        int n = unitBytes.length;
        int firstMissing = -1;
        for (int k = 0; k < n; k++) {
            int u = (cursor[node] + k) % n;
            if (held[node].get(u) || inflight[node].get(u)) {
                continue;
            }
            if (firstMissing < 0) {
                firstMissing = u;
            }
            int peer = leastLoaded(node, holders.get(u), s.engine().candidates());
            if (peer >= 0) {
                cursor[node] = (u + 1) % n;
                return start(node, u, peer, w.pop[peer] == w.pop[node] ? Transfer.From.PEER : Transfer.From.OTHER_POP, t);
            }
            if (k > 64) {
                break;
            }
        }
        if (firstMissing < 0) {
            return null;
        }
        BitSet busy = (BitSet) held[node].clone();
        busy.or(inflight[node]);
        busy.or(seeding);
        int seed = busy.nextClearBit(firstMissing);
        if (seed >= n) {
            seed = busy.nextClearBit(0);
        }
        if (seed >= n) {
            return null; // every missing piece is already coming out of the origin: wait for a peer to hold one
        }
        seeding.set(seed);
        cursor[node] = (seed + 1) % n;
        return start(node, seed, Transfer.ORIGIN, Transfer.From.ORIGIN, t);
    }

    @Override
    void finished(Transfer tr, double t, boolean ok) {
        if (tr.source == Transfer.ORIGIN) {
            seeding.clear(tr.unit);
        }
        super.finished(tr, t, ok);
    }

    @Override
    void stored(int node, int unit, double t) {
        holders.get(unit).add(node);
    }
}
