package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.registry.MatrixImages.Image;
import dev.chunkmesh.node.registry.MatrixImages.Kind;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What every runtime test pulls through: Debian's docker-registry as origin and a POP of two real
 * nodes, {@code a} (127.0.0.1, the mirror runtimes are pointed at) and {@code b} (127.0.0.2, its
 * peer). Both nodes have the registry as default origin (skopeo, podman and Docker name no upstream;
 * Docker's {@code library/} names land there) and as upstream {@code 127.0.0.1:PORT} (containerd's
 * {@code ?ns=}). Images are built from generated files, one set per test class so no two pulls
 * share a blob, in four kinds; {@link #image} pushes one and reads back from the origin what a pull
 * of it must end with. The checks after a pull are the same for every runtime: the blobs went through
 * node {@code a}, from the origin or from its peer as the test arranged, and the runtime never asked
 * the origin anything itself.
 */
final class RuntimeMatrix implements AutoCloseable {

    /**
     * The user agent of the node's origin client (the JDK's {@code java.net.http}); every request the
     * origin sees while a runtime pulls must carry it, or the runtime went around the mirror.
     */
    static final String NODE_AGENT = "chunk-mesh";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Node {@code a}'s figures and the origin's log length before a pull. */
    record Mark(long served, Map<SourceKind, Long> pulled, long originBlobBytes, int originRequests) {}

    final RegistryHarness registry;
    final TestPop pop;
    final MeshNode a;
    final MeshNode b;
    private final MatrixImages images;

    private RuntimeMatrix(Path dir, RegistryHarness registry, TestPop pop, MeshNode a, MeshNode b) {
        this.registry = registry;
        this.pop = pop;
        this.a = a;
        this.b = b;
        this.images = new MatrixImages(dir, registry);
    }

    /** Setting up a test class: may fail an assumption where a tool is missing or cannot start here. */
    @FunctionalInterface
    interface Setup {
        void run() throws Exception;
    }

    /**
     * Runs {@code setup}, and returns the message of the assumption it failed (a tool missing or
     * unable to start here), or null. Test classes skip each test with it, so the reason shows in
     * the reports (an assumption failed in {@code @BeforeAll} shows as no tests at all).
     */
    static String unavailable(Setup setup) throws Exception {
        try {
            setup.run();
            return null;
        } catch (org.opentest4j.TestAbortedException e) {
            return e.getMessage() == null ? "unavailable here" : e.getMessage().replaceFirst("^Assumption failed: ", "");
        }
    }

    static RuntimeMatrix start(Path dir) throws Exception {
        RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
        TestPop pop = null;
        try {
            List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"));
            pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), specs);
            NodeSettings upstream = new NodeSettings().upstream(registry.hostPort(), registry.url());
            MeshNode a = pop.start(specs.get(0), upstream);
            MeshNode b = pop.start(specs.get(1), upstream);
            pop.awaitMembers(2);
            return new RuntimeMatrix(dir, registry, pop, a, b);
        } catch (Exception | Error e) {
            if (pop != null) {
                pop.close();
            }
            registry.close();
            throw e;
        }
    }

    /** Node {@code a}'s mirror as runtimes name it: {@code 127.0.0.1:PORT}. */
    String mirror() {
        return URI.create(a.registryUrl()).getAuthority();
    }

    /**
     * Builds an image of {@code kind} from files of {@code seed}, pushes it to the origin as
     * {@code library/<name>:v1}, and reads back what a pull must end with (see {@link MatrixImages#image}).
     */
    Image image(Kind kind, String name, long seed) throws Exception {
        return images.image(kind, name, seed);
    }


    /**
     * Has node {@code b} pull the config and layers of the image's chosen platform (a client of its
     * mirror, checking every digest), so that a pull through {@code a} afterwards takes them from its
     * peer.
     */
    void warmOnPeer(Image image) throws Exception {
        warm(image.blobs(), image);
    }

    /** {@link #warmOnPeer}, for the blobs of every platform of a multi-platform image. */
    void warmEveryPlatformOnPeer(Image image) throws Exception {
        List<Digest> all = new ArrayList<>(image.blobs());
        all.addAll(image.otherPlatformBlobs());
        warm(all, image);
    }

    private void warm(List<Digest> blobs, Image image) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (Digest d : blobs) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(b.registryUrl() + "/v2/" + image.repository() + "/blobs/" + d))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), "node b serves " + d);
            assertEquals(d, Digest.sha256(r.body()), "node b's copy of " + d + " is exact");
        }
    }

    Mark mark() throws IOException {
        Map<SourceKind, Long> pulled = new LinkedHashMap<>();
        for (SourceKind k : SourceKind.values()) {
            pulled.put(k, a.metrics().pulledBytes(k));
        }
        return new Mark(a.registry().bytesServed(), pulled, registry.bytesSent("/blobs/"), registry.requests().size());
    }

    /** The origin's request lines since {@code mark}. */
    List<String> originRequestsSince(Mark mark) throws IOException {
        List<String> all = registry.requests();
        return all.subList(mark.originRequests(), all.size());
    }

    /**
     * The pull since {@code mark} went through node {@code a}: it sent the runtime at least every layer
     * of the chosen platform, and every request the origin saw came from a node, none from the runtime.
     */
    void assertServedByNodeA(Image image, Mark mark, String runtime) throws IOException {
        long served = a.registry().bytesServed() - mark.served();
        assertTrue(served >= image.layerBytes(), runtime + " took " + served + " blob bytes from node a's mirror, less than the "
                + image.layerBytes() + " bytes of the layers of " + image.platform());
        List<String> came = originRequestsSince(mark);
        List<String> notTheNode = came.stream().filter(l -> !l.contains(NODE_AGENT)).toList();
        assertTrue(notTheNode.isEmpty(), runtime + " went around the mirror; the origin saw: " + notTheNode);
    }

    /** {@link #assertServedByNodeA}, and the layers came to node {@code a} from the origin (a cold pull). */
    void assertServedFromOrigin(Image image, Mark mark, String runtime) throws IOException {
        assertServedByNodeA(image, mark, runtime);
        long fromOrigin = a.metrics().pulledBytes(SourceKind.ORIGIN) - mark.pulled().get(SourceKind.ORIGIN);
        assertTrue(fromOrigin >= image.layerBytes(), "node a pulled " + fromOrigin + " bytes from the origin, less than the layers' "
                + image.layerBytes());
        for (Digest layer : image.layers()) {
            assertTrue(!registry.gets("/blobs/" + layer).isEmpty(), "the origin served layer " + layer + " (to the node)");
        }
    }

    /**
     * {@link #assertServedByNodeA}, and the blobs came to node {@code a} from its peer {@code b}
     * (after {@link #warmOnPeer}): the origin sent no blob bytes during the pull.
     */
    void assertServedFromPeer(Image image, Mark mark, String runtime) throws IOException {
        assertServedByNodeA(image, mark, runtime);
        long fromPeer = a.metrics().pulledBytes(SourceKind.SAME_POP) - mark.pulled().get(SourceKind.SAME_POP);
        assertTrue(fromPeer >= 0.99 * image.layerBytes(), "node a took " + fromPeer + " of the layers' " + image.layerBytes()
                + " bytes from its peer b");
        assertEquals(mark.originBlobBytes(), registry.bytesSent("/blobs/"), "the origin sent no blob bytes while " + runtime + " pulled");
    }

    /** Every file of a skopeo {@code dir:} copy named by a digest hashes to its name; returns those digests. */
    static List<Digest> assertDirBlobsExact(Path into) throws IOException {
        List<Digest> blobs = new ArrayList<>();
        try (var files = Files.list(into)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.matches("[0-9a-f]{64}")) {
                    Digest d = Digest.parse(Digest.PREFIX + name);
                    assertEquals(d, Digest.sha256(Files.readAllBytes(f)), "the copied blob " + name + " has exactly its digest");
                    blobs.add(d);
                }
            }
        }
        return blobs;
    }

    /**
     * A {@code docker save} / {@code podman save --format docker-archive} tarball holds exactly the
     * image: its config file hashes to the config's digest and its layer tars, in order, to the
     * config's diff_ids (the uncompressed bytes of every layer).
     */
    static void assertArchiveExact(Path tarball, Image image, Path scratch) throws Exception {
        Files.createDirectories(scratch);
        Process p = new ProcessBuilder("tar", "-xf", tarball.toString(), "-C", scratch.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tar -xf " + tarball + ": " + out);
        JsonNode m = JSON.readTree(Files.readAllBytes(scratch.resolve("manifest.json"))).get(0);
        assertEquals(image.config(), Digest.sha256(Files.readAllBytes(scratch.resolve(m.get("Config").asText()))),
                "the saved config is the origin's, byte for byte");
        List<Digest> layers = new ArrayList<>();
        for (JsonNode l : m.get("Layers")) {
            layers.add(Digest.sha256(Files.readAllBytes(scratch.resolve(l.asText()))));
        }
        assertEquals(image.diffIds(), layers, "the saved layers are the origin's, byte for byte (uncompressed)");
    }

    @Override
    public void close() throws InterruptedException {
        pop.close();
        registry.close();
    }
}