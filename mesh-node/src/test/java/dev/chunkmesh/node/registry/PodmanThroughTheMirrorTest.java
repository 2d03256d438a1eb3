package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.node.registry.MatrixImages.Image;
import dev.chunkmesh.node.registry.MatrixImages.Kind;
import dev.chunkmesh.node.registry.RuntimeMatrix.Mark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's podman (4.3) pulling each kind of image by the origin's name, with a
 * {@code registries.conf} whose {@code [[registry]]} for the origin has node {@code a} as its
 * {@code [[registry.mirror]]}, as operators configure it ({@link PodmanHarness}). Podman falls back to
 * the origin when a mirror fails, so the origin's log is what shows it did not. Afterwards the image
 * carries the origin's digest and config, and {@code podman save} gives back every layer byte for byte.
 */
class PodmanThroughTheMirrorTest {

    @TempDir
    static Path dir;
    static RuntimeMatrix matrix;
    static PodmanHarness podman;

    /** Why the runtime cannot be tested here, if it cannot (missing, or unable to start): every test is skipped with it. */
    static String skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = RuntimeMatrix.unavailable(PodmanThroughTheMirrorTest::setUp);
    }

    @BeforeEach
    void availableHere() {
        assumeTrue(skipped == null, skipped);
    }

    private static void setUp() throws Exception {
        PodmanHarness.assumeAvailable();
        matrix = RuntimeMatrix.start(dir.resolve("mesh"));
        podman = PodmanHarness.start(dir.resolve("podman"), matrix.registry.hostPort(), matrix.mirror());
    }

    @AfterAll
    static void stop() throws Exception {
        if (matrix != null) {
            matrix.close();
        }
    }

    private static void pull(Image image, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("pull"));
        args.addAll(List.of(options));
        args.add(image.ref(matrix.registry.hostPort()));
        PodmanHarness.Result r = podman.podman(args.toArray(String[]::new));
        assertEquals(0, r.exit(), "podman pull of " + image.kind().description + " failed: " + r.output());
    }

    private static void assertPulled(Image image) throws Exception {
        String ref = image.ref(matrix.registry.hostPort());
        PodmanHarness.Result inspected = podman.podman("image", "inspect", "--format", "{{.Id}} {{.Digest}} {{.Architecture}}", ref);
        assertEquals(0, inspected.exit(), inspected.output());
        assertEquals(image.config().hex() + " " + image.digest() + " " + image.arch(), inspected.output().strip(),
                "podman holds the origin's image: its config, the tag's digest and the platform asked for");
        Path tarball = dir.resolve(image.repository().replace('/', '-') + ".tar");
        PodmanHarness.Result saved = podman.podman("save", "--format", "docker-archive", "-o", tarball.toString(), ref);
        assertEquals(0, saved.exit(), saved.output());
        RuntimeMatrix.assertArchiveExact(tarball, image, dir.resolve(image.repository().replace('/', '-') + "-saved"));
    }

    @Test
    void podmanPullsAnOciImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.OCI, "podman-oci", 301);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromOrigin(image, mark, "podman");
    }

    @Test
    void podmanPullsADockerFormatImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.DOCKER, "podman-docker", 311);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromOrigin(image, mark, "podman");
    }

    @Test
    void podmanPullsItsPlatformOfAnOciIndexFromAPeer() throws Exception {
        Image image = matrix.image(Kind.OCI_INDEX, "podman-index", 321);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromPeer(image, mark, "podman");
    }

    @Test
    void podmanPullsTheOtherPlatformOfADockerManifestListFromAPeer() throws Exception {
        Image image = matrix.image(Kind.DOCKER_LIST, "podman-list", 331);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        pull(image, "--platform", image.platform());
        assertPulled(image);
        matrix.assertServedFromPeer(image, mark, "podman");
    }
}
