package dev.chunkmesh.node;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.node.local.DirectoryRecipes;
import dev.chunkmesh.node.pull.BlobProgress;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.StoreStats;
import java.util.BitSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this node tells its POP it holds. Claims follow the store: {@link #advertiseAll} claims every
 * blob (or part) the store holds, after a start, a split or a member loss. {@link #refresh} runs
 * after the store evicted: each blob's claim is cut to what is left, and a blob with nothing left is
 * withdrawn and its local recipe deleted, and the POP's shared recipe too once no node claims any of
 * it. So neither claims nor recipes outlive the chunks. Calls block (disk, Hazelcast): run them on
 * worker threads.
 */
final class Holdings {

    /** What one {@link #refresh} changed. */
    record Refresh(int cut, int withdrawn, int recipesForgotten) {}

    private final NodeInfo self;
    private final ChunkStore store;
    private final DirectoryRecipes local;
    private final PopView pop;
    private final PullService pulls;
    private long lastEvictions;
    private long lastCorrupt;

    Holdings(NodeInfo self, ChunkStore store, DirectoryRecipes local, PopView pop, PullService pulls) {
        this.self = self;
        this.store = store;
        this.local = local;
        this.pop = pop;
        this.pulls = pulls;
    }

    /**
     * Claims every blob, or the part of it, that the store holds, and shares its recipe again where
     * the POP lost it (both copies of a Hazelcast entry can leave with a split).
     */
    synchronized void advertiseAll() {
        for (Digest blob : local.blobs()) {
            Optional<Recipe> r = local.find(blob);
            if (r.isPresent() && !r.get().chunks().isEmpty()) {
                BitSet held = held(r.get());
                if (!held.isEmpty()) {
                    if (!pop.recipes().has(blob)) {
                        pop.recipes().publish(r.get());
                    }
                    pop.availability().advertise(self, blob, ChunkBitmap.of(r.get().chunks().size(), held));
                }
            }
        }
    }

    /**
     * If the store lost chunks (evicted or found corrupt) since the last call, brings every claim
     * down to what the store still holds; blobs being pulled are left to their pull.
     */
    synchronized Refresh refresh() {
        StoreStats s = store.stats();
        if (s.evictions() == lastEvictions && s.corruptFound() == lastCorrupt) {
            return new Refresh(0, 0, 0);
        }
        lastEvictions = s.evictions();
        lastCorrupt = s.corruptFound();
        Set<Digest> pulling = pulls.running().stream().map(BlobProgress::blob).collect(Collectors.toSet());
        int cut = 0;
        int withdrawn = 0;
        int forgotten = 0;
        for (Digest blob : local.blobs()) {
            Optional<Recipe> r = local.find(blob);
            if (r.isEmpty() || r.get().chunks().isEmpty() || pulling.contains(blob)) {
                continue;
            }
            BitSet held = held(r.get());
            int total = r.get().chunks().size();
            if (held.cardinality() == total) {
                continue;
            }
            if (!held.isEmpty()) {
                pop.availability().advertise(self, blob, ChunkBitmap.of(total, held));
                cut++;
                continue;
            }
            pop.availability().withdraw(self.id(), blob);
            local.forget(blob);
            withdrawn++;
            if (pop.availability().holders(blob).isEmpty()) {
                pop.recipes().forget(blob);
                forgotten++;
            }
        }
        return new Refresh(cut, withdrawn, forgotten);
    }

    private BitSet held(Recipe r) {
        BitSet held = new BitSet(r.chunks().size());
        for (int i = 0; i < r.chunks().size(); i++) {
            if (store.has(r.chunks().get(i).digest())) {
                held.set(i);
            }
        }
        return held;
    }
}
