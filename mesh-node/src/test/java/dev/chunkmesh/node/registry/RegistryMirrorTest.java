package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.Skopeo;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.Publisher;
import dev.chunkmesh.catalog.sign.KeyFiles;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry mirror of two real nodes, driven by Debian's skopeo and by raw HTTP, with Debian's
 * docker-registry as origin.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryMirrorTest {

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop pop;
    static MeshNode a;
    static MeshNode b;
    static OciImages.Layer layer;
    static OciImages.Blob manifest;
    static KeyFiles.SigningKey keys;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        OciImages oci = new OciImages(dir.resolve("oci"));
        layer = oci.layer(OciImages.files(41, 20, 600_000), OciImages.Compression.GZIP);
        OciImages.Layer data = oci.layer(OciImages.files(42, 10, 600_000), OciImages.Compression.NONE);
        manifest = oci.manifest(List.of(layer, data), "linux", "amd64");
        oci.tag("v1", manifest);
        oci.push("v1", registry, "team/app");
        oci.pushAsDockerSchema2("v1", registry, "team/docker-app");
        List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"));
        pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), specs);
        keys = KeyFiles.generate(dir.resolve("keys"), new java.security.SecureRandom());
        a = pop.start(specs.get(0), new NodeSettings().upstream("registry.test", registry.url()));
        b = pop.start(specs.get(1), new NodeSettings().trustedKeys(dir.resolve("keys").resolve(KeyFiles.PUBLIC_FILE)));
        pop.awaitMembers(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pop != null) {
            pop.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** skopeo copy through a node's mirror into a dir: layout; returns the blob digests it wrote. */
    static Set<Digest> skopeoCopy(MeshNode node, String ref, Path into) throws Exception {
        String mirror = URI.create(node.registryUrl()).getAuthority();
        Skopeo.copy("docker://" + mirror + "/" + ref, "dir:" + into);
        Set<Digest> blobs = new HashSet<>();
        try (Stream<Path> files = Files.list(into)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.matches("[0-9a-f]{64}")) {
                    Digest d = Digest.parse("sha256:" + name);
                    assertEquals(d, Digest.sha256(Files.readAllBytes(f)), "the copied blob " + name + " has exactly its digest");
                    blobs.add(d);
                }
            }
        }
        return blobs;
    }

    static long pulled(MeshNode n) {
        long sum = 0;
        for (SourceKind k : SourceKind.values()) {
            sum += n.metrics().pulledBytes(k);
        }
        return sum;
    }

    @Test
    @Order(1)
    void skopeoCopiesThroughTheMirrorWithTheOriginsDigests() throws Exception {
        Set<Digest> copied = skopeoCopy(a, "team/app:v1", dir.resolve("copy-a"));
        assertTrue(copied.contains(layer.blob().digest()), copied.toString());
        assertEquals(3, copied.size(), "config and two layers");
        assertTrue(a.metrics().pulledBytes(SourceKind.ORIGIN) > 0);
    }

    @Test
    @Order(2)
    void aSecondNodeServesTheSameImageFromItsPeer() throws Exception {
        long before = pulled(b);
        long peerBefore = b.metrics().pulledBytes(SourceKind.SAME_POP);
        long originBefore = registry.bytesSent("/blobs/");
        skopeoCopy(b, "team/app:v1", dir.resolve("copy-b"));
        long total = pulled(b) - before;
        long fromPeer = b.metrics().pulledBytes(SourceKind.SAME_POP) - peerBefore;
        assertTrue(total > 0 && fromPeer >= 0.99 * total, "b took " + fromPeer + " of " + total + " bytes from a");
        assertEquals(originBefore, registry.bytesSent("/blobs/"), "the origin sent no blob bytes for b");
    }

    @Test
    @Order(3)
    void headsAndRangesCarryDigestLengthAndContentRange() throws Exception {
        Digest d = layer.blob().digest();
        RawHttp head = RawHttp.send(a.registryUrl(), "HEAD /v2/team/app/blobs/" + d + " HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status());
        assertTrue(head.head().contains("docker-content-digest: " + d) || head.head().contains("Docker-Content-Digest: " + d), head.head());
        assertTrue(head.head().toLowerCase().contains("content-length: " + layer.blob().size()), head.head());
        byte[] whole;
        try (InputStream in = RegistryClient.of(registry.url(), Optional.empty()).blob("team/app", d)) {
            whole = in.readAllBytes();
        }
        RawHttp part = RawHttp.get(a.registryUrl(), "/v2/team/app/blobs/" + d, "Range: bytes=100000-299999");
        assertEquals(206, part.status());
        assertTrue(part.head().toLowerCase().contains("content-range: bytes 100000-299999/" + whole.length), part.head());
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 100000, 300000), part.body());
        RawHttp m = RawHttp.get(a.registryUrl(), "/v2/team/app/manifests/v1", "Accept: application/vnd.oci.image.manifest.v1+json");
        assertEquals(200, m.status());
        assertEquals(manifest.digest(), Digest.sha256(m.body()), "the manifest byte for byte as the origin has it");
        RawHttp base = RawHttp.get(a.registryUrl(), "/v2/");
        assertEquals(200, base.status());
    }

    @Test
    @Order(3)
    void dockerFormatManifestsComeWithTheirOwnBytesWhateverTheOrderOfAcceptLines() throws Exception {
        String docker = "Accept: application/vnd.docker.distribution.manifest.v2+json";
        String list = "Accept: application/vnd.docker.distribution.manifest.list.v2+json";
        String oci = "Accept: application/vnd.oci.image.manifest.v1+json";
        String digest = null;
        for (String[] accept : List.of(new String[] {docker, list, oci}, new String[] {oci, list, docker}, new String[] {list, oci, docker})) {
            RawHttp m = RawHttp.get(b.registryUrl(), "/v2/team/docker-app/manifests/v1", accept);
            assertEquals(200, m.status(), m.head() + m.bodyText());
            assertTrue(m.head().contains("Content-Type: application/vnd.docker.distribution.manifest.v2+json"), m.head());
            String sent = Digest.sha256(m.body()).toString();
            assertTrue(m.head().contains("Docker-Content-Digest: " + sent), "the digest of the very bytes sent: " + m.head());
            assertTrue(digest == null || digest.equals(sent), "the same manifest for every order of the Accept lines");
            digest = sent;
        }
        RawHttp head = RawHttp.send(b.registryUrl(), "HEAD /v2/team/docker-app/manifests/v1 HTTP/1.1\r\nHost: m\r\nConnection: close\r\n"
                + oci + "\r\n" + docker + "\r\n\r\n");
        assertEquals(200, head.status());
        assertTrue(head.head().contains("Docker-Content-Digest: " + digest), head.head());
        RawHttp none = RawHttp.get(b.registryUrl(), "/v2/team/docker-app/manifests/v1");
        assertEquals(200, none.status(), "a client naming no type gets the image as it is, never a schema 1 conversion");
        assertEquals(digest, Digest.sha256(none.body()).toString());
    }

    @Test
    @Order(3)
    void aHeldBlobComesOutByteExactAgainAndAgainInHttp1EvenToClientsAskingForHttp2AndInEveryRange() throws Exception {
        Digest d = layer.blob().digest();
        byte[] whole = null;
        for (HttpClient.Version v : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            for (int i = 0; i < 40; i++) {
                // a new client each time: one that asks for HTTP/2 asks for the upgrade on every new connection
                HttpResponse<byte[]> r = HttpClient.newBuilder().version(v).build().send(HttpRequest.newBuilder(URI.create(a.registryUrl()
                                + "/v2/team/app/blobs/" + d)).timeout(java.time.Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "the mirror speaks HTTP/1.1, also to a client asking for h2c");
                assertEquals(d, Digest.sha256(r.body()), v + " try " + i + ": the held blob in order, every byte");
                whole = r.body();
            }
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 20; i++) {
            int from = random.nextInt(whole.length);
            int to = from + random.nextInt(Math.min(whole.length - from, 3_000_000));
            RawHttp part = RawHttp.get(a.registryUrl(), "/v2/team/app/blobs/" + d, "Range: bytes=" + from + "-" + to);
            assertEquals(206, part.status());
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, from, to + 1), part.body(), "range " + from + "-" + to);
        }
    }

    @Test
    @Order(3)
    void everyMirrorRequestLeavesOneAccessLogLineWithItsSources() throws Exception {
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Logger access = java.util.logging.Logger.getLogger("dev.chunkmesh.node.registry.access");
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level before = access.getLevel();
        access.setLevel(java.util.logging.Level.INFO);
        access.addHandler(h);
        try {
            Digest d = layer.blob().digest();
            assertEquals(200, RawHttp.get(a.registryUrl(), "/v2/team/app/blobs/" + d).status());
            assertEquals(404, RawHttp.get(a.registryUrl(), "/v2/team/app/manifests/no-such-tag").status());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lines.stream().filter(l -> !l.contains(" status=206 ")).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // a range request of the test before may still be logged as this one starts: its line has status=206
            String blobLine = lines.stream().filter(l -> l.contains("reference=" + d) && !l.contains(" status=206 ")).findFirst()
                    .orElseThrow(() -> new AssertionError(lines));
            assertTrue(blobLine.startsWith("mirror GET blob repository=team/app") && blobLine.contains(" status=200 bytes=" + layer.blob().size())
                    && blobLine.contains(" sources=local:" + layer.blob().size()) && blobLine.contains(" client=127.0.0.1"), blobLine);
            assertTrue(lines.stream().anyMatch(l -> l.contains("manifest repository=team/app reference=no-such-tag status=404")), lines.toString());
        } finally {
            access.removeHandler(h);
            access.setLevel(before);
        }
    }

    @Test
    @Order(4)
    void upstreamsAreChosenByNsAndUnknownOnesRefused() throws Exception {
        RawHttp known = RawHttp.get(a.registryUrl(), "/v2/team/app/manifests/v1?ns=registry.test",
                "Accept: application/vnd.oci.image.manifest.v1+json");
        assertEquals(200, known.status(), known.bodyText());
        RawHttp unknown = RawHttp.get(a.registryUrl(), "/v2/team/app/manifests/v1?ns=elsewhere.example");
        assertEquals(404, unknown.status());
        assertTrue(unknown.bodyText().contains("\"code\":\"NAME_UNKNOWN\""), unknown.bodyText());
    }

    @Test
    @Order(5)
    void badRequestsGetRegistryErrorsAndTouchNothingOutsideTheStore() throws Exception {
        Path outside = dir.resolve("outside.txt");
        Files.writeString(outside, "untouched");
        Set<Path> before = listing(dir.resolve("nodes"));
        String url = a.registryUrl();
        Digest d = layer.blob().digest();
        expect(RawHttp.get(url, "/v2/Team/App/manifests/v1"), 400, "NAME_INVALID");
        expect(RawHttp.get(url, "/v2/team/app/blobs/md5:0123456789abcdef"), 400, "DIGEST_INVALID");
        expect(RawHttp.get(url, "/v2/team/app/blobs/sha256:xyz"), 400, "DIGEST_INVALID");
        expect(RawHttp.get(url, "/v2/team/app/manifests/bad%tag"), 400, "TAG_INVALID");
        expect(RawHttp.get(url, "/v2/team/app/blobs/" + d, "Range: bytes=" + layer.blob().size() + "-"), 416, "SIZE_INVALID");
        expect(RawHttp.get(url, "/v2/../../outside.txt/blobs/" + d), 400, "NAME_INVALID");
        expect(RawHttp.get(url, "/v2/team%2F..%2F..%2Foutside/manifests/v1"), 400, "NAME_INVALID");
        expect(RawHttp.get(url, "/v2/team/app/blobs/sha256:" + "0".repeat(64)), 404, "BLOB_UNKNOWN");
        expect(RawHttp.get(url, "/v2/team/app/manifests/no-such-tag"), 404, "MANIFEST_UNKNOWN");
        expect(RawHttp.send(url, "DELETE /v2/team/app/manifests/v1 HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n"), 405, "UNSUPPORTED");
        expect(RawHttp.get(url, "/v2/team/app/manifests/v1", "X-Big: " + "x".repeat(64 * 1024)), 431, "UNSUPPORTED");
        expect(RawHttp.get(url, "/v2/" + "a/".repeat(3000) + "b/manifests/v1"), 414, "NAME_INVALID");
        assertEquals("untouched", Files.readString(outside));
        Set<Path> after = listing(dir.resolve("nodes"));
        after.removeAll(before);
        assertTrue(after.stream().allMatch(p -> p.toString().contains("/chunks/") || p.toString().contains("/manifests/")
                || p.toString().contains("/recipes/")), "only the stores changed: " + after);
    }

    private static void expect(RawHttp r, int status, String code) {
        assertEquals(status, r.status(), r.head() + "\n" + r.bodyText());
        assertTrue(r.bodyText().contains("\"code\":\"" + code + "\""), r.bodyText());
    }

    private static Set<Path> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return new HashSet<>(s.toList());
        }
    }

    @Test
    @Order(6)
    void withTheOriginDownHeldBlobsAndCatalogTagsAreStillServed() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        Catalog release;
        try {
            release = new Publisher(RegistryClient.of(registry.url(), Optional.empty()), ChunkerParams.DEFAULTS, workers, Optional.empty(),
                    Publisher.Listener.SILENT).publish("team/app", List.of("v1"), 1, Instant.now(), Optional.empty());
        } finally {
            workers.shutdownNow();
        }
        HttpResponse<String> prefetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.adminUrl() + "/v1/prefetch"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(SignedCatalog.sign(release, List.of(keys)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(prefetched.body().contains("\"event\":\"done\""), prefetched.body());
        registry.close();

        Set<Digest> blobs = skopeoCopy(b, "team/app@" + manifest.digest(), dir.resolve("copy-offline"));
        assertEquals(3, blobs.size(), "by digest: the manifest and every blob still served with the origin down");
        RawHttp tag = RawHttp.get(b.registryUrl(), "/v2/team/app/manifests/v1", "Accept: application/vnd.oci.image.manifest.v1+json, */*");
        assertEquals(200, tag.status(), "a tag never asked with this Accept resolves from the newest catalog: " + tag.bodyText());
        assertEquals(manifest.digest(), Digest.sha256(tag.body()));
        RawHttp unknown = RawHttp.get(b.registryUrl(), "/v2/team/app/manifests/v2");
        assertEquals(502, unknown.status(), "a tag the catalog does not name fails as the origin's failure");
    }
}
