package dev.chunkmesh.catalog;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.ingest.BlobIngester;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Catalogs built from real recipes of generated blobs, for tests. */
public final class TestCatalogs {
    public static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final ChunkerParams SMALL = new ChunkerParams(1024, 4096, 16384, 2);

    private TestCatalogs() {
    }

    /** The recipe of {@code blob}, cut with small chunks so small blobs have many. */
    public static Recipe recipe(byte[] blob) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            return new BlobIngester(new InMemoryChunkStore(), SMALL, pool, 4).ingest(new ByteArrayInputStream(blob));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A catalog with one image {@code repo:tag} made of the given layers and a small config. */
    public static Catalog single(long sequence, String repo, String tag, List<byte[]> layers, Optional<Instant> expires) {
        List<BlobInfo> blobs = new ArrayList<>();
        Map<Digest, Recipe> recipes = new TreeMap<>();
        List<Digest> needed = new ArrayList<>();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}").getBytes();
        add(config, CONFIG, blobs, recipes, needed);
        for (byte[] layer : layers) {
            add(layer, LAYER, blobs, recipes, needed);
        }
        Digest manifest = Digest.sha256(("manifest of " + repo + ":" + tag).getBytes());
        ImageEntry image = new ImageEntry(repo, tag, manifest, List.of(), needed);
        return new Catalog(sequence, Instant.parse("2026-11-01T00:00:00Z"), expires, List.of(image), blobs, recipes);
    }

    private static void add(byte[] blob, String mediaType, List<BlobInfo> blobs, Map<Digest, Recipe> recipes, List<Digest> needed) {
        Recipe r = recipe(blob);
        if (!recipes.containsKey(r.blob())) {
            blobs.add(new BlobInfo(r.blob(), mediaType, r.size()));
            recipes.put(r.blob(), r);
        }
        needed.add(r.blob());
    }
}
