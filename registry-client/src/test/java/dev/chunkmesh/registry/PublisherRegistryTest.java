package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.catalog.BlobInfo;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.CatalogDelta;
import dev.chunkmesh.catalog.ImageEntry;
import dev.chunkmesh.catalog.Publisher;
import dev.chunkmesh.catalog.oci.Descriptor;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real docker-registry holding images built here and pushed with skopeo. */
class PublisherRegistryTest {

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static ExecutorService workers;
    static List<OciImages.File> base1;
    static List<OciImages.File> base2;
    static List<OciImages.File> base3;
    static OciImages.Layer l1;
    static OciImages.Layer l2;
    static OciImages.Layer l3;
    static OciImages.Layer l2v2;
    static OciImages.Blob sbom;

    @BeforeAll
    static void pushImages() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        workers = Executors.newFixedThreadPool(2);
        OciImages oci = new OciImages(dir.resolve("layout"));
        base1 = OciImages.files(1, 20, 100_000);
        base2 = OciImages.files(2, 20, 100_000);
        base3 = OciImages.files(3, 5, 50_000);
        l1 = oci.layer(base1, OciImages.Compression.GZIP);
        l2 = oci.layer(base2, OciImages.Compression.GZIP);
        l3 = oci.layer(base3, OciImages.Compression.GZIP);
        l2v2 = oci.layer(OciImages.edit(base2, 7, 100), OciImages.Compression.GZIP);
        OciImages.Blob v1 = oci.manifest(List.of(l1, l2, l3), "linux", "amd64");
        oci.tag("v1", v1);
        sbom = oci.sbomFor(v1, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"team/app v1\"}".getBytes());
        oci.tag("v2", oci.manifest(List.of(l1, l2v2, l3), "linux", "amd64"));
        Map<OciImages.Blob, String> platforms = new LinkedHashMap<>();
        platforms.put(oci.manifest(List.of(l1, l3), "linux", "amd64"), "linux/amd64");
        platforms.put(oci.manifest(List.of(l2, l3), "linux", "arm64"), "linux/arm64");
        oci.tag("multi", oci.index(platforms));
        for (String tag : List.of("v1", "v2", "multi", "sha256-" + v1.digest().hex())) {
            oci.push(tag, registry, "team/app");
        }
        oci.pushAsDockerSchema2("v1", registry, "team/docker");
    }

    @AfterAll
    static void stop() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static RegistryClient client() {
        return RegistryClient.of(registry.url(), Optional.empty());
    }

    private static final class Counting implements Publisher.Listener {
        final List<Digest> read = new ArrayList<>();
        final List<Digest> reused = new ArrayList<>();

        @Override
        public void blobStarted(String repository, Descriptor blob) {
            read.add(blob.digest());
        }

        @Override
        public void blobProgress(long bytesRead) {
        }

        @Override
        public void blobDone(Descriptor blob, Recipe recipe) {
        }

        @Override
        public void blobReused(Descriptor blob) {
            reused.add(blob.digest());
        }
    }

    private static Catalog publish(long seq, List<String> tags, Optional<Catalog> previous, Publisher.Listener listener) throws Exception {
        return new Publisher(client(), ChunkerParams.DEFAULTS, workers, previous, listener)
                .publish("team/app", tags, seq, Instant.now(), Optional.empty());
    }

    @Test
    void describesEveryBlobOfAMultiLayerImageWithItsRecipe() throws Exception {
        Catalog c = publish(1, List.of("v1"), Optional.empty(), Publisher.Listener.SILENT);
        ImageEntry image = c.images().get(0);
        assertEquals("team/app:v1", image.reference());
        assertEquals(6, image.blobs().size(), "config, three layers, and the SBOM referrer's empty config and document");
        assertTrue(image.blobs().contains(sbom.digest()), "the SBOM found through the referrers tag fallback");
        assertTrue(image.blobs().containsAll(List.of(l1.blob().digest(), l2.blob().digest(), l3.blob().digest())));
        for (BlobInfo b : c.blobs()) {
            Recipe r = c.recipes().get(b.digest());
            assertEquals(b.size(), r.size());
            try (InputStream in = client().blob("team/app", b.digest())) {
                assertEquals(b.digest(), Digest.sha256(in.readAllBytes()));
            }
        }
        assertEquals(l2.blob().size(), c.blob(l2.blob().digest()).orElseThrow().size());
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", c.blob(l1.blob().digest()).orElseThrow().mediaType());
    }

    @Test
    void aNewVersionReadsOnlyTheBlobsThatChanged() throws Exception {
        Catalog v1 = publish(1, List.of("v1"), Optional.empty(), Publisher.Listener.SILENT);
        long l1Gets = registry.gets(l1.blob().digest().toString()).size();
        Counting counting = new Counting();
        Catalog v2 = publish(2, List.of("v2"), Optional.of(v1), counting);
        assertTrue(counting.read.contains(l2v2.blob().digest()));
        assertEquals(2, counting.read.size(), "only the new config and the changed layer are read: " + counting.read);
        assertTrue(counting.reused.containsAll(List.of(l1.blob().digest(), l3.blob().digest())));
        assertEquals(l1Gets, registry.gets(l1.blob().digest().toString()).size(), "unchanged layers are not fetched again");
        CatalogDelta d = CatalogDelta.between(v1, v2);
        assertEquals(2, d.total().newBlobs(), "v2 has no SBOM; its new blobs are its config and the changed layer");
    }

    @Test
    void describesAnImageIndexWithBothPlatforms() throws Exception {
        Catalog c = publish(1, List.of("multi"), Optional.empty(), Publisher.Listener.SILENT);
        ImageEntry image = c.images().get(0);
        assertEquals(List.of("linux/amd64", "linux/arm64"), image.platforms().stream().map(ImageEntry.PlatformManifest::platform).toList());
        assertTrue(image.blobs().containsAll(List.of(l1.blob().digest(), l2.blob().digest(), l3.blob().digest())));
        assertEquals(5, image.blobs().size(), "two configs and three distinct layers");
    }

    @Test
    void readsDockerSchema2Manifests() throws Exception {
        var top = client().manifest("team/docker", "v1");
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", top.mediaType());
        Catalog c = new Publisher(client(), ChunkerParams.DEFAULTS, workers, Optional.empty(), Publisher.Listener.SILENT)
                .publish("team/docker", List.of("v1"), 1, Instant.now(), Optional.empty());
        ImageEntry image = c.images().get(0);
        assertEquals(top.digest(), image.digest());
        assertTrue(image.blobs().containsAll(List.of(l1.blob().digest(), l2.blob().digest(), l3.blob().digest())));
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", c.blob(l1.blob().digest()).orElseThrow().mediaType());
    }

    @Test
    void aSameBlobInTwoTagsIsReadOnce() throws Exception {
        Counting counting = new Counting();
        Catalog c = publish(1, List.of("v1", "v2"), Optional.empty(), counting);
        assertEquals(2, c.images().size());
        assertEquals(counting.read.stream().distinct().count(), counting.read.size(), "no blob read twice");
    }

    @Test
    void fetchesOnlyTheChunkItAsksForByRange() throws Exception {
        Catalog c = publish(1, List.of("v1"), Optional.empty(), Publisher.Listener.SILENT);
        Recipe recipe = c.recipes().get(l2.blob().digest());
        byte[] whole;
        try (InputStream in = client().blob("team/app", l2.blob().digest())) {
            whole = in.readAllBytes();
        }
        long before = registry.bytesSent("/blobs/" + l2.blob().digest());
        ChunkRef middle = recipe.chunks().get(recipe.chunks().size() / 2);
        byte[] part = client().blobRange("team/app", l2.blob().digest(), middle.offset(), middle.length());
        assertEquals(middle.digest(), Digest.sha256(part), "the range is exactly the chunk");
        assertArrayEquals(Arrays.copyOfRange(whole, (int) middle.offset(), (int) middle.end()), part);
        assertEquals(middle.length(), registry.bytesSent("/blobs/" + l2.blob().digest()) - before,
                "the origin's access log shows only the chunk's bytes sent");
        assertThrows(RegistryException.class, () -> client().blobRange("team/app", l2.blob().digest(), l2.blob().size(), 10));
    }

    @Test
    void resumesABlobStreamFromAnOffset() throws Exception {
        publish(1, List.of("v1"), Optional.empty(), Publisher.Listener.SILENT);
        byte[] whole;
        try (InputStream in = client().blobFrom("team/app", l2.blob().digest(), 0)) {
            whole = in.readAllBytes();
        }
        assertEquals(l2.blob().digest(), Digest.sha256(whole));
        long from = whole.length / 3;
        try (InputStream in = client().blobFrom("team/app", l2.blob().digest(), from)) {
            assertArrayEquals(Arrays.copyOfRange(whole, (int) from, whole.length), in.readAllBytes());
        }
    }

    @Test
    void anUnknownTagIsAClearError() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> publish(1, List.of("nope"), Optional.empty(), Publisher.Listener.SILENT));
        assertTrue(e.getMessage().contains("team/app"), e.getMessage());
    }

    @Test
    void manifestsAreCheckedAgainstTheirDigest() throws Exception {
        var fetched = client().manifest("team/app", "v1");
        assertEquals(Digest.sha256(fetched.bytes()), fetched.digest());
        var again = client().manifest("team/app", fetched.digest().toString());
        assertArrayEquals(fetched.bytes(), again.bytes());
        assertEquals("application/vnd.oci.image.manifest.v1+json", again.mediaType());
    }
}
