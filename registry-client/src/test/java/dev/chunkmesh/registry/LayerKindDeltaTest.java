package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.CatalogDelta;
import dev.chunkmesh.catalog.Publisher;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How much of a changed layer a release delta moves, per kind of layer compression: the same three
 * layers of generated files, v2 changing 100 bytes of one file in the middle layer, published from a
 * real registry with the default chunker. Prints the figures recorded in BENCHMARKS.md.
 */
class LayerKindDeltaTest {

    @TempDir
    Path dir;

    @Test
    void chunkFriendlyLayersMoveFarLessThanTheWholeChangedLayer() throws Exception {
        Map<OciImages.Compression, double[]> results = new EnumMap<>(OciImages.Compression.class);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            List<OciImages.File> a = OciImages.files(11, 30, 300_000);
            List<OciImages.File> b = OciImages.files(12, 60, 300_000);
            List<OciImages.File> c = OciImages.files(13, 30, 300_000);
            for (OciImages.Compression kind : OciImages.Compression.values()) {
                OciImages oci = new OciImages(dir.resolve("layout-" + kind));
                OciImages.Layer la = oci.layer(a, kind);
                OciImages.Layer lb = oci.layer(b, kind);
                OciImages.Layer lc = oci.layer(c, kind);
                OciImages.Layer lb2 = oci.layer(OciImages.edit(b, 30, 100), kind);
                oci.tag("v1", oci.manifest(List.of(la, lb, lc), "linux", "amd64"));
                oci.tag("v2", oci.manifest(List.of(la, lb2, lc), "linux", "amd64"));
                String repo = "kinds/" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
                oci.push("v1", registry, repo);
                oci.push("v2", registry, repo);
                RegistryClient client = RegistryClient.of(registry.url(), Optional.empty());
                Catalog v1 = new Publisher(client, ChunkerParams.DEFAULTS, workers, Optional.empty(), Publisher.Listener.SILENT)
                        .publish(repo, List.of("v1"), 1, Instant.now(), Optional.empty());
                Catalog v2 = new Publisher(client, ChunkerParams.DEFAULTS, workers, Optional.of(v1), Publisher.Listener.SILENT)
                        .publish(repo, List.of("v2"), 2, Instant.now(), Optional.empty());
                CatalogDelta d = CatalogDelta.between(v1, v2);
                long configBytes = v2.blobs().stream().filter(x -> x.mediaType().contains("config")).mapToLong(x -> x.size()).sum();
                long layerDelta = d.total().newBytes() - configBytes;
                results.put(kind, new double[] {layerDelta, lb2.blob().size(), d.total().newChunks() - 1, d.total().totalBytes()});
            }
        } finally {
            workers.shutdownNow();
        }
        System.out.println("layer kind       changed layer   delta bytes   delta / changed layer   new chunks   image bytes");
        results.forEach((kind, r) -> System.out.printf(Locale.ROOT, "%-15s %12.0f %13.0f %20.1f %% %11.0f %13.0f%n",
                kind, r[1], r[0], 100 * r[0] / r[1], r[2], r[3]));
        assertEquals(3, results.size());
        assertTrue(results.get(OciImages.Compression.NONE)[0] / results.get(OciImages.Compression.NONE)[1] < 0.1);
        assertTrue(results.get(OciImages.Compression.ZSTD_PER_FILE)[0] / results.get(OciImages.Compression.ZSTD_PER_FILE)[1] < 0.2);
    }
}
