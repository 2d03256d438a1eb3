package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** The strategies compared side by side, and the transfer units each cuts a release into. */
final class Strategies {
    static final List<String> NAMES = List.of("origin", "pop-cache", "blob-p2p", "piece-p2p", "mesh");

    private Strategies() {
    }

    static Strategy of(String name, World w, Workload wl) {
        return switch (name) {
            case "origin" -> new OriginOnly(w, wholeBlobs(wl));
            case "pop-cache" -> new PopCache(w, wholeBlobs(wl));
            case "blob-p2p" -> new BlobP2p(w, wholeBlobs(wl));
            case "piece-p2p" -> w.scenario.engine().pieceConns() > 0 ? new PieceSwarm(w, pieces(wl, w.scenario.engine().pieceBytes()))
                    : new PieceP2p(w, pieces(wl, w.scenario.engine().pieceBytes()));
            case "mesh" -> new MeshStrategy(w, wl);
            default -> throw new IllegalArgumentException("unknown strategy " + name);
        };
    }

    /** Units and the blob each belongs to. */
    record Cut(long[] bytes, int[] blob) {}

    /** Every blob with anything new, whole: what registries, caches and blob-level P2P move. */
    static Cut wholeBlobs(Workload wl) {
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < wl.blobs().size(); b++) {
            if (wl.blobs().get(b).anyNeeded()) {
                out.add(new long[] {wl.blobs().get(b).recipe().size(), b});
            }
        }
        return cut(out);
    }

    /** Fixed pieces of every blob; a piece is new if it overlaps a new chunk (edits are in place, so nothing shifts). */
    static Cut pieces(Workload wl, long pieceBytes) {
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < wl.blobs().size(); b++) {
            Workload.Blob blob = wl.blobs().get(b);
            long size = blob.recipe().size();
            int n = (int) ((size + pieceBytes - 1) / pieceBytes);
            BitSet newPiece = new BitSet(n);
            var chunks = blob.recipe().chunks();
            for (int i = 0; i < chunks.size(); i++) {
                if (blob.needed()[i]) {
                    newPiece.set((int) (chunks.get(i).offset() / pieceBytes), (int) ((chunks.get(i).end() - 1) / pieceBytes) + 1);
                }
            }
            for (int p = newPiece.nextSetBit(0); p >= 0; p = newPiece.nextSetBit(p + 1)) {
                out.add(new long[] {Math.min(pieceBytes, size - p * pieceBytes), b});
            }
        }
        return cut(out);
    }

    static Cut cut(List<long[]> units) {
        long[] bytes = new long[units.size()];
        int[] blob = new int[units.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = units.get(i)[0];
            blob[i] = (int) units.get(i)[1];
        }
        return new Cut(bytes, blob);
    }

    /** Every node from the origin, nothing shared. */
    static final class OriginOnly extends Strategy {
        OriginOnly(World w, Cut c) {
            super(w, c.bytes(), c.blob());
        }

        @Override
        String name() {
            return "origin";
        }

        @Override
        Transfer next(int node, double t) {
            int u = firstMissing(node);
            return u < 0 ? null : start(node, u, Transfer.ORIGIN, Transfer.From.ORIGIN, t);
        }

        int firstMissing(int node) {
            for (int u = 0; u < unitBytes.length; u++) {
                if (!held[node].get(u) && !inflight[node].get(u)) {
                    return u;
                }
            }
            return -1;
        }
    }
}
