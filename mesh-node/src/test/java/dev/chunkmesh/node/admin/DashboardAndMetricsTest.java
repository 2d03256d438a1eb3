package dev.chunkmesh.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.pull.BatchPull;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running 3-node mesh after a pull: the dashboard, opened in headless Chromium, shows the three
 * members and the pull (a screenshot is kept in {@code target/}); a live scrape of {@code /metrics}
 * passes {@code promtool check metrics}.
 */
class DashboardAndMetricsTest {

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop pop;
    static MeshNode a;
    static MeshNode b;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        OciImages oci = new OciImages(dir.resolve("oci"));
        oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(81, 10, 300_000), OciImages.Compression.NONE)), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"), Spec.pop("c", "127.0.0.3", "pop1"));
        pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), specs);
        a = pop.start(specs.get(0));
        b = pop.start(specs.get(1));
        pop.start(specs.get(2));
        pop.awaitMembers(3);
        var image = ImageBlobs.of(a.upstreams().defaultOrigin(), "team/app", "v1");
        new BatchPull(a.pulls(), image).result().get(60, TimeUnit.SECONDS);
        // As a runtime does: the manifest by tag through b's mirror, then its blobs.
        HttpResponse<byte[]> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.registryUrl()
                + "/v2/team/app/manifests/v1")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, manifest.statusCode());
        new BatchPull(b.pulls(), image).result().get(60, TimeUnit.SECONDS);
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

    @Test
    void theDashboardShowsTheThreeMembersAndThePull() throws Exception {
        String url = b.adminUrl() + "/dashboard";
        String dom = HeadlessChromium.dom(url, dir.resolve("profile-dom"), 4000);
        for (String member : List.of("a", "b", "c")) {
            assertTrue(dom.contains("data-member=\"" + member + "\""), "member " + member + " is listed: " + dom);
        }
        assertTrue(dom.contains("data-pull=\"sha256:"), "the pull is listed");
        assertTrue(dom.contains("<td>team/app:v1</td>"), "named by the image it belongs to: " + dom);
        assertTrue(dom.contains("class=\"peer\""), "with its bytes from the peer");
        Path shot = Path.of("target", "dashboard-3-nodes.png");
        Files.createDirectories(shot.getParent());
        HeadlessChromium.screenshot(url, dir.resolve("profile-shot"), shot, 4000);
        assertTrue(Files.size(shot) > 10_000, "a real screenshot, kept at " + shot.toAbsolutePath());
    }

    @Test
    void aLiveScrapePassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
        HttpResponse<String> scrape = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        // Membership is by heartbeat: under a loaded machine a late beat can dip the count for a moment.
        do {
            if (scrape != null) {
                Thread.sleep(200);
            }
            scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } while (!scrape.body().contains("mesh_gossip_members{node=\"b\",pop=\"pop1\"} 3") && System.nanoTime() < deadline);
        assertEquals(200, scrape.statusCode());
        for (String name : List.of("source=\"peer\"", "mesh_blob_pull_seconds_bucket", "mesh_gossip_members{node=\"b\",pop=\"pop1\"} 3",
                "peer=\"a\"", "result=\"miss\"", "mesh_store_capacity_bytes",
                "mesh_origin_errors_total", "mesh_pulls_in_flight", "mesh_gossip_outside_members{node=\"b\",pop=\"pop1\"} 0",
                "mesh_gossip_rejected_total{kind=\"holders\",node=\"b\",pop=\"pop1\"} 0", "mesh_origin_up")) {
            assertTrue(scrape.body().contains(name), name + " in\n" + scrape.body());
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(scrape.body().getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out.strip(), "promtool has nothing to say about the scrape");
    }
}
