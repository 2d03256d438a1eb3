package dev.chunkmesh.sim;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.StreamChunker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The release a scenario rolls out, as real recipes: synthetic layers chunked with the nodes' own
 * FastCDC chunker, or the recipes of a real catalog. For a delta release, every node already holds
 * version 1; a chunk is {@code needed} only if version 1 did not have it.
 */
public final class Workload {

    /** One blob: its recipe and which of its chunks nodes do not hold yet. */
    public record Blob(Recipe recipe, boolean[] needed) {
        long neededBytes() {
            long n = 0;
            for (int i = 0; i < needed.length; i++) {
                if (needed[i]) {
                    n += recipe.chunks().get(i).length();
                }
            }
            return n;
        }

        boolean anyNeeded() {
            for (boolean b : needed) {
                if (b) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Blob> blobs;

    private Workload(List<Blob> blobs) {
        this.blobs = List.copyOf(blobs);
    }

    public List<Blob> blobs() {
        return blobs;
    }

    /** Bytes of distinct new content the fleet needs: what an ideal system takes from the origin once. */
    public long uniqueBytes() {
        return blobs.stream().mapToLong(Blob::neededBytes).sum();
    }

    /** Bytes of all blobs. */
    public long totalBytes() {
        return blobs.stream().mapToLong(b -> b.recipe().size()).sum();
    }

    static Workload of(Scenario.Release r, long seed) throws IOException {
        if (r.catalog().isPresent()) {
            Catalog c = SignedCatalog.readUnverified(Files.readAllBytes(Path.of(r.catalog().get())));
            List<Blob> out = new ArrayList<>();
            for (Recipe recipe : c.recipes().values()) {
                boolean[] all = new boolean[recipe.chunks().size()];
                Arrays.fill(all, true);
                out.add(new Blob(recipe, all));
            }
            return new Workload(out);
        }
        ChunkerParams params = new ChunkerParams(Math.max(ChunkerParams.MINIMUM_MIN, r.chunkAvg() / 4), r.chunkAvg(), r.chunkAvg() * 4,
                ChunkerParams.DEFAULTS.normalization());
        Blob[] out = new Blob[r.layers().size()];
        IntStream.range(0, out.length).parallel().forEach(i -> {
            try {
                out[i] = layer(r, seed, i, params);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Workload(List.of(out));
    }

    /** Layer {@code i} of a synthetic release, chunked; for a delta, with v1's chunks marked as held. */
    private static Blob layer(Scenario.Release r, long seed, int i, ChunkerParams params) throws IOException {
        {
            long layerSeed = seed * 1000 + i;
            double change = r.previousChange().orElse(0.0);
            int version = r.previousChange().isPresent() ? 2 : 1;
            Recipe recipe = chunk(new SyntheticLayer(r.layers().get(i), layerSeed, change, version), params, "layer-" + i + "-v" + version);
            boolean[] needed = new boolean[recipe.chunks().size()];
            if (r.previousChange().isPresent()) {
                Set<Digest> old = new HashSet<>();
                chunk(new SyntheticLayer(r.layers().get(i), layerSeed, change, 1), params, "layer-" + i + "-v1").chunks()
                        .forEach(c -> old.add(c.digest()));
                for (int k = 0; k < needed.length; k++) {
                    needed[k] = !old.contains(recipe.chunks().get(k).digest());
                }
            } else {
                Arrays.fill(needed, true);
            }
            return new Blob(recipe, needed);
        }
    }

    /** The recipe of a stream, with a synthetic blob id (the simulator never checks whole-blob digests). */
    private static Recipe chunk(InputStream in, ChunkerParams params, String id) throws IOException {
        List<ChunkRef> refs = new ArrayList<>();
        long total = new StreamChunker(params).chunk(in, (offset, buf, start, length) -> refs.add(new ChunkRef(offset, length,
                Digest.sha256(Arrays.copyOfRange(buf, start, start + length)))));
        return new Recipe(Digest.sha256(id.getBytes()), total, refs);
    }
}
