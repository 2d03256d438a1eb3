package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running node as tests see it from outside: its admin API and its registry mirror, wherever it
 * runs (a process, a container).
 */
abstract class NodeApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI admin;
    private final URI registry;
    private final Optional<String> token;

    /** @param token the admin token the node asks for, if it has one */
    NodeApi(String name, URI admin, URI registry, Optional<String> token) {
        this.name = name;
        this.admin = admin;
        this.registry = registry;
        this.token = token;
    }

    /** The admin token in the file that {@code admin.token-file} of {@code settings} names, if any. */
    static Optional<String> token(Map<String, String> settings) throws IOException {
        String file = settings.get("admin.token-file");
        return file == null ? Optional.empty() : Optional.of(Files.readString(Path.of(file)).strip());
    }

    /** A request to the admin API, with the token if the node has one. */
    private HttpRequest.Builder adminRequest(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin.resolve(path));
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    /** Whether the node's process or container still runs. */
    abstract boolean alive();

    /** The last lines the node printed, for failure messages. */
    abstract String tail();

    String name() {
        return name;
    }

    URI admin() {
        return admin;
    }

    /** Waits until {@code /healthz} answers 200 (joined the cluster). */
    NodeApi awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new AssertionError("node " + name + " is gone:\n" + tail());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(admin.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + name + " not healthy after " + timeout + ":\n" + tail());
    }

    /** The node's {@code /v1/status} document. */
    JsonNode status() throws IOException, InterruptedException {
        return status(Duration.ofSeconds(5));
    }

    /** The node's {@code /v1/status} document, waiting up to {@code timeout} for it. */
    JsonNode status(Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(adminRequest("/v1/status").timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    /** Names of the live members this node sees. */
    List<String> members() throws IOException, InterruptedException {
        return members(status());
    }

    /** Names of the live members in a {@code /v1/status} document. */
    static List<String> members(JsonNode status) {
        List<String> out = new ArrayList<>();
        status.get("members").forEach(m -> out.add(m.get("name").asText()));
        return out;
    }

    /**
     * Pulls {@code repository:reference} through the admin API and returns the final event
     * ({@code done} or {@code error}).
     */
    JsonNode pull(String repository, String reference, Duration timeout) throws IOException, InterruptedException {
        String body = "{\"repository\":\"" + repository + "\",\"reference\":\"" + reference + "\"}";
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(adminRequest("/v1/pull").timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                String[] lines = r.body().strip().split("\n");
                return new ObjectMapper().readTree(lines[lines.length - 1]);
            } catch (HttpTimeoutException slow) {
                throw slow;
            } catch (IOException e) {
                // A kept-alive connection the node closed while its network was cut fails before any answer, and
                // the JDK client does not retry a POST; a pull is idempotent, so it is asked again on a new connection.
                if (attempt == 3) {
                    throw e;
                }
                System.out.println(name + ": pull asked again on a new connection after " + e);
            }
        }
    }

    /**
     * Pulls {@code repository:tag}, checks that it finished with at least 99 % of its bytes from
     * {@code mainSource} ({@code origin}, {@code peer}, ...), and reads every blob back through the
     * mirror to check its digest. Returns the {@code done} event.
     */
    JsonNode pullWhole(String repository, String tag, String mainSource, Duration timeout) throws IOException, InterruptedException {
        JsonNode done = pull(repository, tag, timeout);
        assertEquals("done", done.get("event").asText(), name + " pulling " + tag + ": " + done + "\n" + tail());
        long total = totalBytes(done);
        assertTrue(done.get("bytes").get(mainSource).asLong() >= 0.99 * total,
                name + " pulling " + tag + " from " + mainSource + ": " + done.get("bytes") + "\n" + tail());
        for (Digest blob : blobs(done)) {
            assertEquals(blob, mirrorDigest(repository, blob), name + " serves " + blob + " byte-exact");
        }
        return done;
    }

    /** Bytes of a pull's {@code done} event, summed over sources. */
    static long totalBytes(JsonNode done) {
        long total = 0;
        for (JsonNode n : done.get("bytes")) {
            total += n.asLong();
        }
        return total;
    }

    /** The blobs of a pull's {@code done} event. */
    static List<Digest> blobs(JsonNode done) {
        List<Digest> out = new ArrayList<>();
        done.get("blobs").forEach(x -> out.add(Digest.parse(x.get("blob").asText())));
        return out;
    }

    /** Names of the nodes this node sees holding {@code blob} (for blobs it has a recipe of). */
    List<String> holders(Digest blob) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode h : status().get("holdings")) {
            if (h.get("blob").asText().equals(blob.toString())) {
                h.get("holders").forEach(x -> out.add(x.get("node").asText()));
            }
        }
        return out.stream().sorted().toList();
    }

    /** The SHA-256 of a blob as this node's registry mirror serves it to a client. */
    Digest mirrorDigest(String repository, Digest blob) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/blobs/" + blob)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("mirror of " + name + " answered " + r.statusCode() + " for " + blob);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return Digest.ofBytes(sha.digest());
    }
}
