package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.oci.MediaTypes;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
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
 * {@code ?ns=}). Images are built here from generated files, one set per test class so no two pulls
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
    static final String NODE_AGENT = "Java-http-client";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The image kinds of issue 19, each built and pushed its own way. */
    enum Kind {
        OCI("an OCI image"),
        DOCKER("a Docker v2 schema 2 image"),
        OCI_INDEX("an OCI image index (linux/amd64 + linux/arm64)"),
        DOCKER_LIST("a Docker manifest list (linux/amd64 + linux/arm64)");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        boolean multiPlatform() {
            return this == OCI_INDEX || this == DOCKER_LIST;
        }
    }

    /**
     * A pushed image and what a pull of it must end with, as the origin serves it: the tag's manifest
     * (an index or list for the multi-platform kinds) and, for the platform a runtime takes from it,
     * the platform's manifest, config, layers (compressed, as served) and diff_ids (uncompressed).
     */
    record Image(Kind kind, String repository, String tag, Digest digest, String mediaType, String platform,
                 Digest manifest, Digest config, List<Digest> layers, long layerBytes, List<Digest> diffIds,
                 List<Digest> otherPlatformBlobs) {

        /** {@code host/repository:tag}. */
        String ref(String host) {
            return host + "/" + repository + ":" + tag;
        }

        /** The config and layers of the chosen platform. */
        List<Digest> blobs() {
            List<Digest> all = new ArrayList<>(layers);
            all.add(0, config);
            return all;
        }

        String arch() {
            return platform.substring(platform.indexOf('/') + 1);
        }
    }

    /** Node {@code a}'s figures and the origin's log length before a pull. */
    record Mark(long served, Map<SourceKind, Long> pulled, long originBlobBytes, int originRequests) {}

    final RegistryHarness registry;
    final TestPop pop;
    final MeshNode a;
    final MeshNode b;
    private final Path dir;
    private final RegistryClient origin;

    private RuntimeMatrix(Path dir, RegistryHarness registry, TestPop pop, MeshNode a, MeshNode b) {
        this.dir = dir;
        this.registry = registry;
        this.pop = pop;
        this.a = a;
        this.b = b;
        this.origin = RegistryClient.of(registry.url(), Optional.empty());
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

    /** The platform this machine's runtimes pick by default: {@code linux/amd64} or {@code linux/arm64}. */
    static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux/" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64");
    }

    /** The other platform of the two-platform images, which a runtime must be asked for explicitly. */
    static String otherPlatform() {
        return hostPlatform().equals("linux/amd64") ? "linux/arm64" : "linux/amd64";
    }

    /** Node {@code a}'s mirror as runtimes name it: {@code 127.0.0.1:PORT}. */
    String mirror() {
        return URI.create(a.registryUrl()).getAuthority();
    }

    /**
     * Builds an image of {@code kind} from files of {@code seed} (two gzip layers of about half a
     * megabyte per platform), pushes it to the origin as {@code library/<name>:v1}, and reads back what
     * a pull must end with. An OCI index is taken for this machine's platform (a runtime's default),
     * a Docker manifest list for the other one (asked for explicitly).
     */
    Image image(Kind kind, String name, long seed) throws Exception {
        OciImages oci = new OciImages(dir.resolve("images").resolve(name));
        String repository = "library/" + name;
        String tag = "v1";
        if (kind.multiPlatform()) {
            Map<OciImages.Blob, String> platforms = new LinkedHashMap<>();
            platforms.put(platformManifest(oci, seed, "amd64"), "linux/amd64");
            platforms.put(platformManifest(oci, seed + 500, "arm64"), "linux/arm64");
            oci.tag(tag, oci.index(platforms));
        } else {
            oci.tag(tag, platformManifest(oci, seed, hostPlatform().substring(6)));
        }
        switch (kind) {
            case OCI, OCI_INDEX -> oci.push(tag, registry, repository);
            case DOCKER -> oci.pushAsDockerSchema2(tag, registry, repository);
            case DOCKER_LIST -> oci.pushAsDockerManifestList(tag, registry, repository);
        }
        return expected(kind, repository, tag, kind == Kind.DOCKER_LIST ? otherPlatform() : hostPlatform());
    }

    private static OciImages.Blob platformManifest(OciImages oci, long seed, String arch) throws IOException {
        List<OciImages.Layer> layers = List.of(
                oci.layer(OciImages.files(seed, 5, 200_000), OciImages.Compression.GZIP),
                oci.layer(OciImages.files(seed + 1, 5, 200_000), OciImages.Compression.GZIP));
        return oci.manifest(layers, "linux", arch);
    }

    /** What the origin serves for {@code repository:tag}, with every manifest type accepted. */
    private Image expected(Kind kind, String repository, String tag, String platform) throws Exception {
        ImageSource.Fetched top = origin.manifest(repository, tag);
        String wantedType = switch (kind) {
            case OCI -> MediaTypes.OCI_MANIFEST;
            case DOCKER -> MediaTypes.DOCKER_MANIFEST;
            case OCI_INDEX -> MediaTypes.OCI_INDEX;
            case DOCKER_LIST -> MediaTypes.DOCKER_LIST;
        };
        assertEquals(wantedType, top.mediaType(), "the origin holds " + kind.description);
        ImageSource.Fetched chosen = top;
        List<Digest> others = new ArrayList<>();
        if (kind.multiPlatform()) {
            Digest pick = null;
            for (JsonNode m : JSON.readTree(top.bytes()).get("manifests")) {
                String p = m.get("platform").get("os").asText() + "/" + m.get("platform").get("architecture").asText();
                Digest d = Digest.parse(m.get("digest").asText());
                if (p.equals(platform)) {
                    pick = d;
                } else {
                    JsonNode other = JSON.readTree(origin.manifest(repository, d.toString()).bytes());
                    others.add(Digest.parse(other.get("config").get("digest").asText()));
                    other.get("layers").forEach(l -> others.add(Digest.parse(l.get("digest").asText())));
                }
            }
            chosen = origin.manifest(repository, pick.toString());
        }
        JsonNode manifest = JSON.readTree(chosen.bytes());
        Digest config = Digest.parse(manifest.get("config").get("digest").asText());
        List<Digest> layers = new ArrayList<>();
        long bytes = 0;
        for (JsonNode l : manifest.get("layers")) {
            layers.add(Digest.parse(l.get("digest").asText()));
            bytes += l.get("size").asLong();
        }
        JsonNode cfg;
        try (InputStream in = origin.blob(repository, config)) {
            cfg = JSON.readTree(in.readAllBytes());
        }
        assertEquals(platform.substring(platform.indexOf('/') + 1), cfg.get("architecture").asText());
        List<Digest> diffIds = new ArrayList<>();
        cfg.get("rootfs").get("diff_ids").forEach(d -> diffIds.add(Digest.parse(d.asText())));
        return new Image(kind, repository, tag, top.digest(), top.mediaType(), platform, chosen.digest(), config, layers, bytes,
                diffIds, others);
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
