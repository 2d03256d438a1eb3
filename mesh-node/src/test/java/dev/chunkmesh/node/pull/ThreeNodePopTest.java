package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * Three real nodes in one POP on 127.0.0.1-3, Debian's docker-registry as origin, images built from
 * generated files: the origin's own access log must show every blob byte sent once for the POP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodePopTest {

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop pop;
    static MeshNode a;
    static MeshNode b;
    static MeshNode c;
    static List<BlobRequest> app;
    static List<BlobRequest> tools;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        OciImages oci = new OciImages(dir.resolve("oci"));
        OciImages.Layer base = oci.layer(OciImages.files(1, 24, 400_000), OciImages.Compression.GZIP);
        OciImages.Layer data = oci.layer(OciImages.files(2, 12, 900_000), OciImages.Compression.NONE);
        oci.tag("v1", oci.manifest(List.of(base, data), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        OciImages other = new OciImages(dir.resolve("oci2"));
        OciImages.Layer t1 = other.layer(OciImages.files(3, 20, 700_000), OciImages.Compression.NONE);
        other.tag("v1", other.manifest(List.of(t1), "linux", "amd64"));
        other.push("v1", registry, "team/tools");
        pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(
                Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"), Spec.pop("c", "127.0.0.3", "pop1")));
        // a keeps compressible chunks as zstd frames, b and c keep theirs raw: a POP of mixed stores
        a = pop.start(Spec.pop("a", "127.0.0.1", "pop1"), new NodeSettings().set("store.compress", "true"));
        b = pop.start(Spec.pop("b", "127.0.0.2", "pop1"));
        c = pop.start(Spec.pop("c", "127.0.0.3", "pop1"));
        pop.awaitMembers(3);
        app = ImageBlobs.of(a.upstreams().defaultOrigin(), "team/app", "v1");
        tools = ImageBlobs.of(a.upstreams().defaultOrigin(), "team/tools", "v1");
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

    static BatchPull.Result pull(MeshNode n, List<BlobRequest> blobs) throws Exception {
        return new BatchPull(n.pulls(), blobs).result().get(120, TimeUnit.SECONDS);
    }

    static long size(List<BlobRequest> blobs) {
        return blobs.stream().mapToLong(BlobRequest::size).sum();
    }

    static long originBlobBytes(List<BlobRequest> blobs) throws Exception {
        long n = 0;
        for (BlobRequest b : blobs) {
            n += registry.bytesSent("/blobs/" + b.blob());
        }
        return n;
    }

    @Test
    @Order(1)
    void aColdPullThenTwoWarmPullsTakeEveryByteFromTheOriginOnce() throws Exception {
        BatchPull.Result cold = pull(a, app);
        assertEquals(size(app), cold.bytesBySource().get(SourceKind.ORIGIN), "a's cold pull came from the origin");
        for (MeshNode n : List.of(b, c)) {
            BatchPull.Result warm = pull(n, app);
            long total = warm.bytesBySource().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(size(app), total);
            assertTrue(warm.bytesBySource().get(SourceKind.SAME_POP) >= 0.99 * total,
                    n.info().id() + " took " + warm.bytesBySource() + " of " + total);
            System.out.printf("warm pull on %s: %s in %.2f s (cold on a: %.2f s)%n", n.info().id(), warm.bytesBySource(), warm.seconds(),
                    cold.seconds());
        }
        assertEquals(size(app), originBlobBytes(app), "the origin's access log: each blob byte sent once for the POP");
    }

    @Test
    @Order(2)
    void threeNodesPullingANewImageAtTheSameMomentStillTakeEachByteOnce() throws Exception {
        List<CompletableFuture<BatchPull.Result>> all = new ArrayList<>();
        for (MeshNode n : List.of(a, b, c)) {
            all.add(new BatchPull(n.pulls(), tools).result());
        }
        long origin = 0;
        for (CompletableFuture<BatchPull.Result> f : all) {
            BatchPull.Result r = f.get(120, TimeUnit.SECONDS);
            origin += r.bytesBySource().get(SourceKind.ORIGIN);
            System.out.println("concurrent cold pull: " + r.bytesBySource());
        }
        assertEquals(size(tools), origin, "the nodes together took each byte from the origin once");
        assertEquals(size(tools), originBlobBytes(tools), "the origin's access log agrees");
    }

    static HttpResponse<String> admin(MeshNode n, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.adminUrl() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(3)
    void theAdminApiReportsHealthMetricsAndRefusesBadRequests() throws Exception {
        for (MeshNode n : List.of(a, b, c)) {
            assertEquals(200, admin(n, "GET", "/healthz", null).statusCode());
        }
        String metrics = admin(b, "GET", "/metrics", null).body();
        assertTrue(metrics.matches("(?s).*mesh_pull_bytes_total\\{[^}]*source=\"peer\"[^}]*} [1-9].*"), metrics);
        assertTrue(metrics.contains("mesh_store_used_bytes"), metrics);
        HttpResponse<String> bad = admin(b, "POST", "/v1/pull", "{\"repository\":\"Team/App\",\"reference\":\"v1\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("{\"error\":"), bad.body());
        assertEquals(400, admin(b, "POST", "/v1/pull", "{\"repository\":\"team/app\",\"blob\":\"md5:abc\"}").statusCode());
        assertEquals(400, admin(b, "POST", "/v1/pull", "not json").statusCode());
        HttpResponse<String> missing = admin(b, "POST", "/v1/pull", "{\"repository\":\"team/app\",\"reference\":\"nope\"}");
        assertEquals(404, missing.statusCode(), missing.body());
        String status = admin(c, "GET", "/v1/status", null).body();
        assertTrue(status.contains("\"name\" : \"a\"") && status.contains("\"name\" : \"b\""), status);
    }
}
