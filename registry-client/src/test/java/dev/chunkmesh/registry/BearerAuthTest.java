package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token flow of real registries (Docker Hub, GHCR, Harbor): 401 with a Bearer challenge, a token
 * from the realm with the client's Basic credentials, the request again with the token. Played by a
 * small loopback server that follows the distribution spec's token protocol, since Debian's
 * docker-registry needs a separate token service for it.
 */
class BearerAuthTest {

    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
            .getBytes(StandardCharsets.UTF_8);
    private HttpServer server;
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicBoolean alsoBasic = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", ex -> {
            tokenRequests.add(ex.getRequestURI().getRawQuery() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            boolean ok = ("Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes()))
                    .equals(ex.getRequestHeaders().getFirst("Authorization"));
            respond(ex, ok ? 200 : 401, ok ? "{\"token\":\"t0k3n\"}".getBytes() : new byte[0], "application/json");
        });
        server.createContext("/v2/", ex -> {
            if (failuresLeft.getAndDecrement() > 0) {
                respond(ex, 503, "busy".getBytes(), "text/plain");
                return;
            }
            if (!"Bearer t0k3n".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"" + base + "/token\",service=\"test-registry\",scope=\"repository:team/app:pull\"");
                if (alsoBasic.get()) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-registry\"");
                }
                respond(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(), "application/json");
                return;
            }
            ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(MANIFEST).toString());
            respond(ex, 200, MANIFEST, "application/vnd.oci.image.manifest.v1+json");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private RegistryClient client(Optional<Credentials> credentials) {
        return new RegistryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), credentials,
                HttpSettings.defaults(), 3, Duration.ofMillis(10));
    }

    @Test
    void getsABearerTokenWithItsCredentialsAndReusesIt() throws IOException {
        RegistryClient c = client(Optional.of(new Credentials("alice", "secret")));
        assertEquals(Digest.sha256(MANIFEST), c.manifest("team/app", "v1").digest());
        assertEquals(Digest.sha256(MANIFEST), c.manifest("team/app", "v2").digest());
        assertEquals(1, tokenRequests.size(), "the token is cached per repository scope");
        assertTrue(tokenRequests.get(0).contains("service=test-registry"), tokenRequests.get(0));
        assertTrue(tokenRequests.get(0).contains("scope=repository%3Ateam%2Fapp%3Apull"), tokenRequests.get(0));
    }

    @Test
    void saysSoWhenTheTokenServiceRefusesTheCredentials() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client(Optional.of(new Credentials("alice", "wrong"))).manifest("team/app", "v1"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("token service"), e.getMessage());
    }

    @Test
    void answersTheFirstOfSeveralChallenges() throws IOException {
        alsoBasic.set(true);
        assertEquals(Digest.sha256(MANIFEST), client(Optional.of(new Credentials("alice", "secret"))).manifest("team/app", "v1").digest());
        assertEquals(1, tokenRequests.size(), "the Bearer challenge, offered first, was answered");
    }

    @Test
    void retriesServerErrorsWithBackoff() throws IOException {
        failuresLeft.set(2);
        assertEquals(Digest.sha256(MANIFEST), client(Optional.of(new Credentials("alice", "secret"))).manifest("team/app", "v1").digest());
    }

    @Test
    void givesUpAfterItsAttempts() {
        failuresLeft.set(10);
        RegistryException e = assertThrows(RegistryException.class,
                () -> client(Optional.of(new Credentials("alice", "secret"))).manifest("team/app", "v1"));
        assertEquals(503, e.status());
    }

    @Test
    void parsesChallenges() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull\"")
                .orElseThrow();
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.example/token", c.params().get("realm"));
        assertEquals("repository:a/b:pull", c.params().get("scope"));
        assertEquals("basic", AuthChallenge.parse("Basic realm=\"x\"").orElseThrow().scheme());
        assertTrue(AuthChallenge.parse("").isEmpty());
    }
}
