package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.store.ChunkRef;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** How chunks to fetch from the origin are joined into range requests. Pure. */
final class OriginRanges {
    /** One range request: consecutive chunk indexes and their bytes. */
    record Run(List<Integer> chunks, long bytes) {}

    private OriginRanges() {
    }

    /**
     * The chunks set in {@code wanted}, in order, joined into runs of adjacent chunks of at most
     * {@code maxBytes} each (a single larger chunk makes a run of its own); at most {@code limit} runs.
     */
    static List<Run> of(BitSet wanted, List<ChunkRef> chunks, long maxBytes, int limit) {
        List<Run> out = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        long runBytes = 0;
        for (int i = wanted.nextSetBit(0); i >= 0 && out.size() < limit; i = wanted.nextSetBit(i + 1)) {
            long length = chunks.get(i).length();
            boolean adjacent = !run.isEmpty() && run.get(run.size() - 1) == i - 1;
            if (!run.isEmpty() && (!adjacent || runBytes + length > maxBytes)) {
                out.add(new Run(run, runBytes));
                run = new ArrayList<>();
                runBytes = 0;
                if (out.size() >= limit) {
                    return out;
                }
            }
            run.add(i);
            runBytes += length;
        }
        if (!run.isEmpty() && out.size() < limit) {
            out.add(new Run(run, runBytes));
        }
        return out;
    }
}
