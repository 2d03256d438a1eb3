package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.node.registry.MatrixImages.Image;
import dev.chunkmesh.node.registry.MatrixImages.Kind;
import dev.chunkmesh.store.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HEAD} and {@code GET} of manifests and blobs through the mirror answer as the origin does,
 * for each kind of image and with the {@code Accept} headers each runtime really sends (captured from
 * Debian's Docker 20.10, containerd 1.6 and skopeo/podman's containers/image): the same status,
 * media type, digest and length, and for {@code GET} the same bytes. Docker sends one line per type
 * in an order that changes from request to request; containers/image one line per type; containerd
 * one comma-joined line.
 */
class NegotiationThroughTheMirrorTest {

    /** Docker 20.10's manifest request, as captured (the order varies between requests). */
    static final List<String> DOCKER = List.of(
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v1+prettyjws",
            "application/json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    /** The same types in another order Docker used. */
    static final List<String> DOCKER_REORDERED = List.of(
            "application/json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v1+prettyjws");
    /** skopeo 1.9 and podman 4.3 (containers/image), one line each. */
    static final List<String> CONTAINERS_IMAGE = List.of(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.v1+prettyjws",
            "application/vnd.docker.distribution.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json");
    /** containerd 1.6, one line. */
    static final List<String> CONTAINERD = List.of(
            "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, "
                    + "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, */*");

    static final Map<String, List<String>> CLIENTS = Map.of("docker", DOCKER, "docker (reordered)", DOCKER_REORDERED,
            "containers/image", CONTAINERS_IMAGE, "containerd", CONTAINERD);

    @TempDir
    static Path dir;
    static RuntimeMatrix matrix;
    static List<Image> images = new ArrayList<>();

    /** Why the registry cannot be tested here, if it cannot (missing, or unable to start): every test is skipped with it. */
    static String skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = RuntimeMatrix.unavailable(NegotiationThroughTheMirrorTest::setUp);
    }

    @BeforeEach
    void availableHere() {
        assumeTrue(skipped == null, skipped);
    }

    private static void setUp() throws Exception {
        matrix = RuntimeMatrix.start(dir);
        long seed = 501;
        for (Kind k : Kind.values()) {
            images.add(matrix.image(k, "negotiate-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-'), seed += 10));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (matrix != null) {
            matrix.close();
        }
    }

    /** The status line and the headers a registry client reads, names lowercased. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer of(RawHttp r) {
            Map<String, String> h = new TreeMap<>();
            for (String line : r.head().split("\r\n")) {
                int colon = line.indexOf(':');
                String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (List.of("content-type", "docker-content-digest", "content-length").contains(name)) {
                    String value = line.substring(colon + 1).strip();
                    h.put(name, name.equals("content-type") ? value.split(";")[0].strip() : value);
                }
            }
            return new Answer(r.status(), h, r.body());
        }
    }

    private static Answer ask(String base, String method, String path, List<String> accept) throws Exception {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: registry\r\nConnection: close\r\n");
        accept.forEach(a -> head.append("Accept: ").append(a).append("\r\n"));
        return Answer.of(RawHttp.send(base, head.append("\r\n").toString()));
    }

    /** Asks the origin and the node the same; containerd's requests to the node carry {@code ?ns=}. */
    private static void assertSameAnswer(String method, String path, String client, List<String> accept) throws Exception {
        Answer origin = ask(matrix.registry.url().toString(), method, path, accept);
        String nodePath = client.equals("containerd") ? path + "?ns=" + matrix.registry.hostPort() : path;
        Answer node = ask(matrix.a.registryUrl(), method, nodePath, accept);
        String what = method + " " + path + " with " + client + "'s Accept";
        assertEquals(200, origin.status(), "the origin answers " + what);
        assertEquals(origin.status(), node.status(), what);
        assertEquals(origin.headers(), node.headers(), what);
        if (method.equals("GET")) {
            assertArrayEquals(origin.body(), node.body(), what + ": the same bytes");
            assertEquals(origin.headers().get("docker-content-digest"), Digest.sha256(node.body()).toString(), what);
        }
    }

    @Test
    void manifestHeadsAndGetsByTagAnswerAsTheOriginForEveryRuntimesAccept() throws Exception {
        for (Image image : images) {
            for (Map.Entry<String, List<String>> c : CLIENTS.entrySet()) {
                for (String method : List.of("HEAD", "GET")) {
                    assertSameAnswer(method, "/v2/" + image.repository() + "/manifests/" + image.tag(), c.getKey(), c.getValue());
                }
            }
        }
    }

    @Test
    void manifestHeadsAndGetsByDigestAnswerAsTheOrigin() throws Exception {
        for (Image image : images) {
            for (Digest d : List.of(image.digest(), image.manifest())) {
                for (String method : List.of("HEAD", "GET")) {
                    assertSameAnswer(method, "/v2/" + image.repository() + "/manifests/" + d, "containers/image", CONTAINERS_IMAGE);
                    assertSameAnswer(method, "/v2/" + image.repository() + "/manifests/" + d, "docker", DOCKER);
                }
            }
        }
    }

    @Test
    void blobHeadsAnswerAsTheOriginBeforeAndAfterTheNodeHoldsTheBlob() throws Exception {
        for (Image image : images) {
            for (Digest d : image.blobs()) {
                String path = "/v2/" + image.repository() + "/blobs/" + d;
                Answer origin = ask(matrix.registry.url().toString(), "HEAD", path, List.of("*/*"));
                Answer before = ask(matrix.a.registryUrl(), "HEAD", path, List.of("*/*"));
                Answer got = ask(matrix.a.registryUrl(), "GET", path, List.of("*/*"));
                Answer after = ask(matrix.a.registryUrl(), "HEAD", path, List.of("*/*"));
                assertEquals(200, origin.status());
                for (Answer node : List.of(before, got, after)) {
                    assertEquals(200, node.status(), path);
                    assertEquals(origin.headers().get("content-length"), node.headers().get("content-length"), path);
                    assertEquals(d.toString(), node.headers().get("docker-content-digest"), path);
                }
                assertEquals(d, Digest.sha256(got.body()), "GET " + path + " gives the blob's bytes");
            }
        }
    }
}
