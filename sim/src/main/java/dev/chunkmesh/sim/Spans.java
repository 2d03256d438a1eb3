package dev.chunkmesh.sim;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.List;

/** The mesh's transfer units: runs of consecutive new chunks of a blob, each up to a span's size. */
final class Spans {
    private Spans() {
    }

    /**
     * @param cut the spans as the strategy's transfer units (bytes and blob of each)
     * @param recipes per blob, a recipe whose chunks are its spans (what the planner and the pull machines see)
     * @param blobUnits per blob, the unit index of each of its spans
     * @param indexInBlob per unit, its index in its blob's span recipe
     */
    record SpanCut(Strategies.Cut cut, Recipe[] recipes, int[][] blobUnits, int[] indexInBlob) {}

    /** Runs of new chunks up to {@code spanBytes}; per blob, a recipe of its spans for the planner. */
    static SpanCut of(Workload wl, long spanBytes) {
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
}
