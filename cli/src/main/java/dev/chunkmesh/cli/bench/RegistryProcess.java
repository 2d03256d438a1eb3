package dev.chunkmesh.cli.bench;

import dev.chunkmesh.node.config.LocalMesh;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry as a child process on a free loopback port, keeping its blobs in a folder of
 * its own: an origin, or a pull-through cache of one ({@code proxy: remoteurl}), what an operator would
 * run instead of the mesh. {@link #close} stops it.
 */
final class RegistryProcess implements AutoCloseable {
    static final String BINARY = "/usr/bin/docker-registry";

    private final Process process;
    private final URI url;
    private final Path storage;

    private RegistryProcess(Process process, URI url, Path storage) {
        this.process = process;
        this.url = url;
        this.storage = storage;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }

    /** Starts a registry keeping its files under {@code dir}; a pull-through cache of {@code upstream} when given. */
    static RegistryProcess start(Path dir, Optional<URI> upstream) throws Exception {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        int port = LocalMesh.freePort("127.0.0.1");
        List<String> config = new ArrayList<>(List.of("version: 0.1", "log:", "  level: error", "  accesslog:", "    disabled: true",
                "storage:", "  filesystem:", "    rootdirectory: " + storage.toAbsolutePath(), "http:", "  addr: 127.0.0.1:" + port));
        upstream.ifPresent(u -> config.addAll(List.of("proxy:", "  remoteurl: " + u)));
        Path file = dir.resolve("config.yml");
        Files.writeString(file, String.join("\n", config) + "\n");
        Process p = new ProcessBuilder(BINARY, "serve", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        RegistryProcess r = new RegistryProcess(p, URI.create("http://127.0.0.1:" + port), storage);
        try {
            r.awaitUp();
        } catch (Exception e) {
            r.close();
            throw e;
        }
        return r;
    }

    URI url() {
        return url;
    }

    /** host:port, as image references name it. */
    String authority() {
        return url.getAuthority();
    }

    Path storage() {
        return storage;
    }

    private void awaitUp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + "; see its log beside " + storage);
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("docker-registry did not start at " + url);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
