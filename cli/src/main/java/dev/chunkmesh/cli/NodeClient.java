package dev.chunkmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.node.admin.AdminToken;
import dev.chunkmesh.store.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;

/** Talks to a node's admin API for the CLI: plain requests, and pull streams shown as a progress bar. */
final class NodeClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final Optional<AdminToken> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client of the admin API at {@code url}, sending {@code token} as {@code Authorization: Bearer} if given. */
    NodeClient(String url, Optional<AdminToken> token) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = URI.create(u);
        this.token = token;
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("--node must be the node's admin URL, such as http://127.0.0.1:7071; got " + url);
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw refused(r.statusCode(), body.path("error").asText(r.body()));
        }
        return body;
    }

    /** Posts {@code body}, shows the pull's progress on stderr, and returns the final {@code done} event. */
    JsonNode streamPull(String path, byte[] body, String contentType, String task) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .timeout(Duration.ofHours(6)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            if (r.statusCode() != 200) {
                String text = it.hasNext() ? it.next() : "";
                throw refused(r.statusCode(), JSON.readTree(text.isEmpty() ? "{}" : text).path("error").asText(text));
            }
            ProgressBar bar = null;
            try {
                while (it.hasNext()) {
                    JsonNode e = JSON.readTree(it.next());
                    switch (e.path("event").asText()) {
                        case "progress" -> {
                            if (bar == null) {
                                bar = Progress.bytes(task, Math.max(1, e.path("total").asLong()));
                            }
                            bar.maxHint(Math.max(1, e.path("total").asLong()));
                            bar.stepTo(e.path("done").asLong());
                        }
                        case "done" -> {
                            if (bar != null) {
                                bar.stepTo(bar.getMax());
                            }
                            return e;
                        }
                        case "error" -> throw new IOException(e.path("message").asText("the node reported an error"));
                        default -> throw new IOException("unexpected answer from the node: " + e);
                    }
                }
            } catch (UncheckedIOException ex) {
                throw ex.getCause();
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            throw new IOException("the node closed the stream before the pull finished");
        }
    }

    /** One line per source with bytes and share, for pull and prefetch results. */
    static String bytesTable(JsonNode bytes) {
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = bytes.fields(); it.hasNext(); ) {
            total += it.next().getValue().asLong();
        }
        StringBuilder b = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = bytes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long n = e.getValue().asLong();
            b.append(String.format(Locale.ROOT, "  %-10s %12s  %5.1f %%%n", e.getKey(), ByteSize.human(n), total == 0 ? 0.0 : 100.0 * n / total));
        }
        return b.toString();
    }

    private IOException refused(int status, String error) {
        String hint = status != 401 ? "" : token.isEmpty() ? " (pass --token-file FILE or set MESH_ADMIN_TOKEN_FILE)"
                : " (the token of --token-file is not the node's)";
        return new IOException("node answered " + status + ": " + error + hint);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> h) throws IOException, InterruptedException {
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t.value()));
        try {
            return http.send(b.build(), h);
        } catch (ConnectException e) {
            throw new IOException("cannot reach the node at " + base + " (is it running? start one with 'mesh node run')", e);
        }
    }
}
