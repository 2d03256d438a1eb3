package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.RegistryOrigin;
import dev.chunkmesh.node.peer.PeerAuth;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three POPs, three Hazelcast clusters: a regional POP of two nodes in front of Debian's
 * docker-registry, and two edge POPs that name the region as their upper tier and have no origin at
 * all. The origin's own access log must show each blob byte once for the whole fleet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TieredPopsTest {

    static final String TIER_SECRET = "region-tier-secret-0123456789";

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop region;
    static TestPop edge1;
    static TestPop edge2;
    static MeshNode r1;
    static MeshNode r2;
    static MeshNode a;
    static MeshNode b;
    static MeshNode c;
    static List<BlobRequest> app;
    static List<BlobRequest> tools;
    static List<BlobRequest> late;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        app = push("team/app", 11, OciImages.Compression.GZIP, OciImages.Compression.NONE);
        tools = push("team/tools", 12, OciImages.Compression.NONE);
        late = push("team/late", 13, OciImages.Compression.NONE);
        Spec s1 = Spec.pop("r1", "127.0.0.11", "region");
        Spec s2 = Spec.pop("r2", "127.0.0.12", "region");
        region = new TestPop(dir.resolve("region"), Optional.of(registry.url()), List.of(s1, s2));
        r1 = region.start(s1, new NodeSettings().lowerSecret(TIER_SECRET));
        r2 = region.start(s2, new NodeSettings().lowerSecret(TIER_SECRET));
        region.awaitMembers(2);
        NodeSettings upper = new NodeSettings().upperTier(r1.info().peerAddress(), r2.info().peerAddress()).upperSecret(TIER_SECRET);
        Spec sa = Spec.pop("a", "127.0.0.21", "edge1");
        Spec sb = Spec.pop("b", "127.0.0.22", "edge1");
        edge1 = new TestPop(dir.resolve("edge1"), Optional.empty(), List.of(sa, sb));
        a = edge1.start(sa, upper);
        b = edge1.start(sb, upper);
        edge1.awaitMembers(2);
        Spec sc = Spec.pop("c", "127.0.0.31", "edge2");
        edge2 = new TestPop(dir.resolve("edge2"), Optional.empty(), List.of(sc));
        c = edge2.start(sc, upper);
    }

    /** An image of generated files pushed to the origin; its blobs as the origin lists them. */
    static List<BlobRequest> push(String repository, int seed, OciImages.Compression... layers) throws Exception {
        OciImages oci = new OciImages(dir.resolve("oci-" + seed));
        List<OciImages.Layer> built = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            built.add(oci.layer(OciImages.files(seed * 10 + i, 10, 600_000), layers[i]));
        }
        oci.tag("v1", oci.manifest(built, "linux", "amd64"));
        oci.push("v1", registry, repository);
        return ImageBlobs.of(new RegistryOrigin(RegistryClient.of(registry.url(), Optional.empty()), new Bandwidth(0)), repository, "v1");
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestPop p : new TestPop[] {edge2, edge1, region}) {
            if (p != null) {
                p.close();
            }
        }
        if (registry != null) {
            registry.close();
        }
    }

    static BatchPull.Result pull(MeshNode n, List<BlobRequest> blobs) throws Exception {
        return new BatchPull(n.pulls(), through(n, blobs)).result().get(120, TimeUnit.SECONDS);
    }

    /** The same blobs, asked of what the node has for an origin (for an edge node: its upper tier). */
    static List<BlobRequest> through(MeshNode n, List<BlobRequest> blobs) {
        return blobs.stream().map(x -> new BlobRequest(n.upstreams().defaultOrigin(), x.repository(), x.blob(), x.size())).toList();
    }

    static long size(List<BlobRequest> blobs) {
        return blobs.stream().mapToLong(BlobRequest::size).sum();
    }

    static long originBlobBytes(List<BlobRequest> blobs) throws Exception {
        long n = 0;
        for (BlobRequest x : blobs) {
            n += registry.bytesSent("/blobs/" + x.blob());
        }
        return n;
    }

    static long bytes(BatchPull.Result r, SourceKind k) {
        return r.bytesBySource().getOrDefault(k, 0L);
    }

    @Test
    @Order(1)
    void anImagePulledInBothEdgePopsLeavesTheOriginOnceForTheWholeFleet() throws Exception {
        BatchPull.Result first = pull(a, app);
        assertEquals(size(app), bytes(first, SourceKind.PARENT), "edge1's cold pull came from the region: " + first.bytesBySource());
        assertEquals(0, bytes(first, SourceKind.ORIGIN));
        BatchPull.Result sameEdge = pull(b, app);
        assertTrue(bytes(sameEdge, SourceKind.SAME_POP) >= 0.99 * size(app), "b took it from a: " + sameEdge.bytesBySource());
        BatchPull.Result otherEdge = pull(c, app);
        assertEquals(size(app), bytes(otherEdge, SourceKind.PARENT), "edge2 took it from the region: " + otherEdge.bytesBySource());
        assertEquals(size(app), originBlobBytes(app), "the origin's access log: each blob byte sent once for three POPs");
    }

    @Test
    @Order(2)
    void aBlobThroughAnEdgeNodesMirrorIsByteExact() throws Exception {
        BlobRequest layer = app.get(app.size() - 1);
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(c.registryUrl() + "/v2/team/app/blobs/" + layer.blob())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(layer.blob(), Digest.sha256(r.body()));
        HttpResponse<byte[]> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(c.registryUrl() + "/v2/team/app/manifests/v1")).header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, manifest.statusCode(), "the manifest came through the region");
        assertEquals(size(app), originBlobBytes(app), "nothing more left the origin");
    }

    @Test
    @Order(3)
    void nodesOfBothEdgesPullingANewImageAtOnceStillTakeEachByteOnceFromTheOrigin() throws Exception {
        List<CompletableFuture<BatchPull.Result>> all = new ArrayList<>();
        for (MeshNode n : List.of(a, b, c)) {
            all.add(new BatchPull(n.pulls(), through(n, tools)).result());
        }
        long fromRegion = 0;
        for (CompletableFuture<BatchPull.Result> f : all) {
            BatchPull.Result r = f.get(120, TimeUnit.SECONDS);
            assertEquals(0, bytes(r, SourceKind.ORIGIN));
            fromRegion += bytes(r, SourceKind.PARENT);
        }
        assertTrue(fromRegion <= 2 * size(tools), "each edge POP took each byte from the region at most once: " + fromRegion);
        assertEquals(size(tools), originBlobBytes(tools), "the origin's access log: once for the fleet");
    }

    @Test
    @Order(4)
    void theTierApiRefusesRequestsNotSignedWithTheTierSecretEvenWithTheClusterSecret() throws Exception {
        String base = "http://" + r1.info().peerAddress();
        String path = "/tier/v2/team/app/blobs/" + app.get(0).blob();
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode(), "unsigned");
        for (String other : List.of("another-secret-0123456789", TestPop.SECRET)) {
            String forged = new PeerAuth(other, Clock.systemUTC()).sign("GET", path, r1.info().peerAddress(), new byte[0]);
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + path)).header(PeerAuth.HEADER, forged).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "signed with " + other);
        }
        String good = new PeerAuth(TIER_SECRET, Clock.systemUTC()).sign("GET", path, r1.info().peerAddress(), new byte[0]);
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create(base + path)).header(PeerAuth.HEADER, good).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode(), "signed with the tier secret");
        assertArrayEquals(app.get(0).blob().bytes(), Digest.sha256(ok.body()).bytes());
    }

    @Test
    @Order(5)
    void aNewReleaseMovesOnlyItsNewChunksDownTheTier() throws Exception {
        OciImages oci = new OciImages(dir.resolve("oci-v2"));
        List<OciImages.File> v1 = OciImages.files(11 * 10 + 1, 10, 600_000);
        oci.tag("v2", oci.manifest(List.of(oci.layer(OciImages.edit(v1, 4, 2_000), OciImages.Compression.NONE)), "linux", "amd64"));
        oci.push("v2", registry, "team/app");
        List<BlobRequest> v2 = ImageBlobs.of(new RegistryOrigin(RegistryClient.of(registry.url(), Optional.empty()), new Bandwidth(0)),
                "team/app", "v2");
        BlobRequest layer = v2.stream().max(java.util.Comparator.comparingLong(BlobRequest::size)).orElseThrow();
        pull(r2, List.of(layer));
        BatchPull.Result edge = pull(a, List.of(layer));
        long down = bytes(edge, SourceKind.PARENT);
        assertTrue(bytes(edge, SourceKind.LOCAL) > 0.8 * layer.size(), "a kept most of v1's chunks: " + edge.bytesBySource());
        assertTrue(down < 0.2 * layer.size(), "only the new chunks came down from the region: " + down + " of " + layer.size());
    }

    @Test
    @Order(6)
    void withOneRegionNodeGoneTheEdgesPullThroughTheOther() throws Exception {
        r1.close();
        BatchPull.Result r = pull(c, late);
        assertEquals(size(late), bytes(r, SourceKind.PARENT), "c pulled through r2: " + r.bytesBySource());
        BatchPull.Result same = pull(a, late);
        assertEquals(size(late), bytes(same, SourceKind.PARENT) + bytes(same, SourceKind.SAME_POP));
        assertEquals(size(late), originBlobBytes(late), "the origin's access log: once for the fleet");
    }

    @Test
    @Order(7)
    void withTheWholeUpperTierGoneAnEdgeNodeSaysSoInItsHealth() throws Exception {
        r2.close();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && c.problems().stream().noneMatch(p -> p.startsWith("the upper tier cannot be reached"))) {
            Thread.sleep(200);
        }
        assertTrue(c.problems().stream().anyMatch(p -> p.startsWith("the upper tier cannot be reached")), "problems: " + c.problems());
    }
}
