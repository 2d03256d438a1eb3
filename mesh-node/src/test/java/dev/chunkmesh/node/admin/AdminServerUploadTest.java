package dev.chunkmesh.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies sent to the admin API are bounded ({@code admin.max-body}, 16 MiB by default: a signed
 * catalog is far smaller) and never written to disk: a body over the bound gets 413 at once and the
 * node stays healthy; a refused upload leaves no file behind.
 */
class AdminServerUploadTest {
    static final int OVER = 17 << 20;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static TestPop pop;
    static MeshNode node;

    @BeforeAll
    static void start() throws Exception {
        Spec a = Spec.pop("a", "127.0.0.1", "pop1");
        pop = new TestPop(dir.resolve("nodes"), Optional.empty(), List.of(a));
        node = pop.start(a);
    }

    @AfterAll
    static void stop() {
        if (pop != null) {
            pop.close();
        }
    }

    @Test
    void aPrefetchBodyOverTheLimitGets413AndTheNodeStaysHealthy() throws Exception {
        byte[] big = new byte[OVER];
        long start = System.nanoTime();
        HttpResponse<String> sized = send(post("application/json", HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(413, sized.statusCode(), "a body with a length over the bound: " + sized.body());
        HttpResponse<String> streamed = send(post("application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertEquals(413, streamed.statusCode(), "a chunked body that grows past the bound: " + streamed.body());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused at once");
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
    }

    @Test
    void aRefusedUploadLeavesNoFileOnDisk() throws Exception {
        Path workingDirUploads = Path.of("file-uploads").toAbsolutePath();
        Set<String> before = files(workingDirUploads);
        Set<String> dataBefore = files(dir.resolve("nodes"));
        HttpResponse<String> small = send(multipart(1 << 20));
        assertTrue(small.statusCode() >= 400, "a form upload is no signed catalog: " + small.statusCode() + " " + small.body());
        HttpResponse<String> large = send(multipart(OVER));
        assertEquals(413, large.statusCode(), large.body());
        Thread.sleep(500);
        assertEquals(before, files(workingDirUploads), "no upload kept in the working directory's file-uploads");
        Set<String> dataAfter = files(dir.resolve("nodes"));
        dataAfter.removeAll(dataBefore);
        assertTrue(dataAfter.stream().noneMatch(f -> f.contains("upload")), "no upload kept in the node's data: " + dataAfter);
    }

    private static HttpRequest.Builder multipart(int size) throws IOException {
        String boundary = "mesh-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"catalog\"; filename=\"catalog.json\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(new byte[size]);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return post("multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    private static HttpRequest.Builder post(String contentType, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(node.adminUrl() + "/v1/prefetch")).header("Content-Type", contentType).POST(body);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> files(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
            }
        }
        return out;
    }
}
