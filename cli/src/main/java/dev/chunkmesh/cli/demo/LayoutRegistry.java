package dev.chunkmesh.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's built-in origin: a read-only OCI distribution endpoint on loopback serving one OCI image
 * layout folder under one repository name, with tags from its {@code index.json}, HEAD, and single
 * byte ranges (so nodes can fetch single chunks). It counts the blob bytes it sends, for the demo's
 * "what did the origin send" figure.
 */
public final class LayoutRegistry implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    static {
        // The JDK's server sends a response's head and body in separate writes; with Nagle's algorithm on, the
        // body of every small answer (a manifest, a config blob) then waited for the client's delayed ACK,
        // about 40 ms on Linux. Read once, when the JDK's server is first used in this JVM; a value given is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Path layout;
    private final String repository;
    private final HttpServer server;
    private final LongAdder blobBytes = new LongAdder();

    public LayoutRegistry(Path layout, String repository) throws IOException {
        this.layout = layout;
        this.repository = repository;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "demo-origin");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Blob bytes sent since start. */
    public long blobBytesSent() {
        return blobBytes.sum();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            boolean head = x.getRequestMethod().equals("HEAD");
            if (!head && !x.getRequestMethod().equals("GET")) {
                send(x, 405, "application/json", "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"read-only\"}]}".getBytes(), false);
                return;
            }
            x.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(x, 200, "application/json", "{}".getBytes(), head);
                return;
            }
            Matcher m = PATH.matcher(path);
            if (!m.matches() || !m.group(1).equals(repository)) {
                send(x, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"unknown repository\"}]}".getBytes(), false);
                return;
            }
            if (m.group(2).equals("manifests")) {
                manifest(x, m.group(3), head);
            } else {
                blob(x, m.group(3), head);
            }
        }
    }

    private void manifest(HttpExchange x, String ref, boolean head) throws IOException {
        JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
        for (JsonNode d : index.path("manifests")) {
            String name = d.path("annotations").path("org.opencontainers.image.ref.name").asText();
            String digest = d.path("digest").asText();
            if (ref.equals(name) || ref.equals(digest)) {
                Path file = file(digest);
                x.getResponseHeaders().add("Docker-Content-Digest", digest);
                send(x, 200, d.path("mediaType").asText(), Files.readAllBytes(file), head);
                return;
            }
        }
        Path byDigest = ref.startsWith("sha256:") ? file(ref) : null;
        if (byDigest != null && Files.exists(byDigest)) {
            byte[] bytes = Files.readAllBytes(byDigest);
            String type = new ObjectMapper().readTree(bytes).path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
            x.getResponseHeaders().add("Docker-Content-Digest", ref);
            send(x, 200, type, bytes, head);
            return;
        }
        send(x, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown manifest\"}]}".getBytes(), false);
    }

    private void blob(HttpExchange x, String digest, boolean head) throws IOException {
        Path file = digest.matches("sha256:[0-9a-f]{64}") ? file(digest) : null;
        if (file == null || !Files.exists(file)) {
            send(x, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"unknown blob\"}]}".getBytes(), false);
            return;
        }
        long size = Files.size(file);
        long start = 0;
        long end = size;
        String range = x.getRequestHeaders().getFirst("Range");
        Matcher r = range == null ? null : RANGE.matcher(range);
        x.getResponseHeaders().add("Docker-Content-Digest", digest);
        x.getResponseHeaders().add("Content-Type", "application/octet-stream");
        x.getResponseHeaders().add("Accept-Ranges", "bytes");
        int status = 200;
        if (r != null && r.matches()) {
            start = Long.parseLong(r.group(1));
            end = r.group(2).isEmpty() ? size : Math.min(size, Long.parseLong(r.group(2)) + 1);
            if (start >= size || end <= start) {
                x.getResponseHeaders().add("Content-Range", "bytes */" + size);
                x.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            x.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + size);
        }
        if (head) {
            x.getResponseHeaders().add("Content-Length", Long.toString(end - start));
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, end - start);
        try (FileChannel ch = FileChannel.open(file); OutputStream out = x.getResponseBody()) {
            InputStream in = Channels.newInputStream(ch.position(start));
            long left = end - start;
            byte[] buf = new byte[64 * 1024];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
                blobBytes.add(n);
            }
        }
    }

    private Path file(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body, boolean head) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        if (head) {
            x.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
