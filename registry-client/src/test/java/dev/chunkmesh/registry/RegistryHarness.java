package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} on a free loopback port, storing
 * into a temporary folder, with its access log kept so tests can count what it served. Tests are
 * skipped with a message where the package is not installed ({@code .ci/run} installs it).
 */
public final class RegistryHarness implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";
    private final Process process;
    private final Path log;
    private final int port;

    private RegistryHarness(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts a registry with its storage and log under {@code dir}. */
    public static RegistryHarness start(Path dir) throws IOException, InterruptedException {
        return start(dir, Optional.empty());
    }

    /**
     * Starts a registry that demands HTTP Basic auth (htpasswd, bcrypt) for every request, with one
     * user; {@code /v2/} then answers 401 with a Basic challenge.
     */
    public static RegistryHarness startWithHtpasswd(Path dir, String user, String password) throws IOException, InterruptedException {
        return start(dir, Optional.of(new String[] {user, password}));
    }

    private static RegistryHarness start(Path dir, Optional<String[]> auth) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(BINARY)), "Debian's docker-registry is not installed (apt-get install docker-registry)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("registry.yml");
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "  accesslog:",
                "    disabled: false",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "") + "\n");
        if (auth.isPresent()) {
            Path htpasswd = dir.resolve("htpasswd");
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            Files.writeString(htpasswd, auth.get()[0] + ":"
                    + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", auth.get()[1].toCharArray(), salt, 6) + "\n");
            Files.writeString(config, String.join("\n", "auth:", "  htpasswd:", "    realm: mesh-test", "    path: " + htpasswd, ""),
                    StandardOpenOption.APPEND);
        }
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder(BINARY, "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        RegistryHarness h = new RegistryHarness(p, log, port);
        h.awaitReady(auth.isPresent() ? 401 : 200);
        return h;
    }

    private void awaitReady(int expected) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == expected) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("docker-registry did not answer on port " + port + ": " + Files.readString(log));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code 127.0.0.1:PORT}, as skopeo wants it. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Waits until the log has stopped growing for 100 ms (at most 2 s): lines are written after responses end. */
    private void settle() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long size = -1;
        while (System.nanoTime() < deadline) {
            long now = Files.size(log);
            if (now == size) {
                return;
            }
            size = now;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The access-log lines of GET requests whose path contains {@code fragment}. */
    public List<String> gets(String fragment) throws IOException {
        settle();
        Pattern request = Pattern.compile("\"GET ([^ ]+) HTTP");
        return Files.readAllLines(log).stream().filter(l -> {
            Matcher m = request.matcher(l);
            return m.find() && m.group(1).contains(fragment);
        }).toList();
    }

    /**
     * Every request line of the access log, in order (any method), with its status, size and user
     * agent: {@code 127.0.0.1 - - [date] "GET /v2/... HTTP/1.1" 200 517 "" "agent"}. A test takes
     * {@code requests().size()} before a pull and reads the lines after it to see who came.
     */
    public List<String> requests() throws IOException {
        settle();
        Pattern request = Pattern.compile("^\\S+ - \\S+ \\[[^\\]]+\\] \"[A-Z]+ ");
        return Files.readAllLines(log).stream().filter(l -> request.matcher(l).find()).toList();
    }

    /** Bytes the registry sent in answers to GETs of paths containing {@code fragment}, from its access log. */
    public long bytesSent(String fragment) throws IOException {
        settle();
        Pattern line = Pattern.compile("\"GET ([^ ]+) HTTP/[0-9.]+\" (\\d{3}) (\\d+)");
        long total = 0;
        for (String l : Files.readAllLines(log)) {
            Matcher m = line.matcher(l);
            if (m.find() && m.group(1).contains(fragment)) {
                total += Long.parseLong(m.group(3));
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
