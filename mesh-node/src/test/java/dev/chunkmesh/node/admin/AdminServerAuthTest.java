package dev.chunkmesh.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose admin API has a bearer token ({@code admin.token-file}): everything that changes state
 * or reveals holdings needs it; health, metrics and the static dashboard page do not.
 */
class AdminServerAuthTest {
    static final String TOKEN = "admin-token-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PULL = "{\"repository\":\"team/app\",\"reference\":\"v1\"}";

    @TempDir
    static Path dir;
    static TestPop pop;
    static MeshNode node;

    @BeforeAll
    static void start() throws Exception {
        Path token = dir.resolve("admin-token");
        Files.writeString(token, TOKEN + "\n");
        Spec a = Spec.pop("a", "127.0.0.1", "pop1");
        pop = new TestPop(dir.resolve("nodes"), Optional.empty(), List.of(a));
        node = pop.start(a, new NodeSettings().adminTokenFile(token));
    }

    @AfterAll
    static void stop() {
        if (pop != null) {
            pop.close();
        }
    }

    @Test
    void aStateChangingRequestWithoutTheTokenGets401() throws Exception {
        HttpResponse<String> r = send(post("/v1/pull", PULL));
        assertRefused(r);
        assertRefused(send(post("/v1/prefetch", "{}")));
    }

    @Test
    void aStateChangingRequestWithAWrongTokenGets401() throws Exception {
        for (String header : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ", "Basic " + TOKEN, TOKEN,
                "bearer  " + TOKEN + " extra")) {
            assertRefused(send(post("/v1/pull", PULL).header("Authorization", header)));
        }
    }

    @Test
    void aPullWithTheTokenReachesThePullService() throws Exception {
        HttpResponse<String> r = send(post("/v1/pull", PULL).header("Authorization", "Bearer " + TOKEN));
        assertEquals(503, r.statusCode(), "past the token: this node has no origin to pull from: " + r.body());
        HttpResponse<String> lower = send(post("/v1/pull", PULL).header("Authorization", "bearer " + TOKEN));
        assertEquals(503, lower.statusCode(), "the scheme is case-insensitive (RFC 7235): " + lower.body());
    }

    @Test
    void theStatusRevealsHoldingsOnlyWithTheToken() throws Exception {
        assertRefused(send(get("/v1/status")));
        assertRefused(send(get("/v1/status").header("Authorization", "Bearer wrong-token-0123456789")));
        HttpResponse<String> r = send(get("/v1/status").header("Authorization", "Bearer " + TOKEN));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(new JsonObject(r.body()).containsKey("holdings"), r.body());
    }

    @Test
    void healthMetricsAndTheDashboardPageNeedNoToken() throws Exception {
        assertEquals(200, send(get("/healthz")).statusCode());
        HttpResponse<String> metrics = send(get("/metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("mesh_store_capacity_bytes"), "Prometheus scrapes without a token");
        HttpResponse<String> page = send(get("/dashboard"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html"), "the static page");
        assertEquals(302, send(get("/")).statusCode());
    }

    @Test
    void anUnknownPathWithoutTheTokenGets401Not404() throws Exception {
        assertRefused(send(get("/v1/nothing-here")));
    }

    @Test
    void theDashboardAsksForTheTokenWhenTheStatusNeedsOne() throws Exception {
        String dom = HeadlessChromium.dom(node.adminUrl() + "/dashboard", dir.resolve("profile"), 3000);
        assertTrue(dom.contains("id=\"login\""), "the page has a token form: " + dom);
        assertFalse(dom.matches("(?s).*<form[^>]*id=\"login\"[^>]*hidden.*"), "shown after a 401: " + dom);
        assertFalse(dom.contains(TOKEN), "the page knows no token by itself");
    }

    private static void assertRefused(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer realm=\"chunk-mesh admin\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(new JsonObject(r.body()).getString("error").contains("admin.token-file"), r.body());
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(node.adminUrl() + path)).GET();
    }

    private static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(node.adminUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
