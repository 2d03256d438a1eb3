package dev.chunkmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One mesh node as its own operating-system process ({@code mesh node run}, on the test class path),
 * so that it can be killed with SIGKILL or started inside a network namespace. Its output goes to a
 * log file beside its data.
 */
final class NodeProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI admin;
    private final URI registry;
    private final Path log;
    private final Process process;

    private NodeProcess(String name, URI admin, URI registry, Path log, Process process) {
        this.name = name;
        this.admin = admin;
        this.registry = registry;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code mesh node run} with {@code settings} (each passed as {@code --set key=value}),
     * behind {@code prefix} (for example {@code ip netns exec NS}) if not empty. The settings must give
     * {@code network.bind} and {@code network.admin-port}.
     */
    static NodeProcess start(String name, Map<String, String> settings, List<String> prefix, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName(), "node", "run"));
        new TreeMap<>(settings).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        URI admin = URI.create("http://" + settings.get("network.bind") + ":" + settings.get("network.admin-port"));
        URI registry = URI.create("http://" + settings.get("network.registry-bind") + ":" + settings.get("network.registry-port"));
        return new NodeProcess(name, admin, registry, log, p);
    }

    String name() {
        return name;
    }

    URI admin() {
        return admin;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code /healthz} answers 200 (joined the cluster). */
    NodeProcess awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + name + " exited with " + process.exitValue() + ":\n" + tail());
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
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin.resolve("/v1/status")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    /** Names of the live members this node sees. */
    List<String> members() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        status().get("members").forEach(m -> out.add(m.get("name").asText()));
        return out;
    }

    /**
     * Pulls {@code repository:reference} through the admin API and returns the final event
     * ({@code done} or {@code error}).
     */
    JsonNode pull(String repository, String reference, Duration timeout) throws IOException, InterruptedException {
        String body = "{\"repository\":\"" + repository + "\",\"reference\":\"" + reference + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(admin.resolve("/v1/pull")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
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

    /** SIGKILL: no shutdown hook, no goodbye to the cluster, no index snapshot. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The last lines the node printed, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM and a wait for a clean exit; SIGKILL if it does not come. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill9();
        }
    }
}
