package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.node.registry.MatrixImages.Image;
import dev.chunkmesh.node.registry.MatrixImages.Kind;
import dev.chunkmesh.node.registry.RuntimeMatrix.Mark;
import dev.chunkmesh.store.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd's {@code ctr images pull} (Debian's containerd, started by the test) through node
 * {@code a}, configured with a {@code hosts.toml} for the origin naming the node (pull, resolve), for
 * each kind of image, unpack included. Afterwards the image's target is the origin's digest and
 * every blob of the pulled platform in containerd's content store hashes to its digest.
 */
class ContainerdThroughTheMirrorTest {

    @TempDir
    static Path dir;
    static ContainerdHarness containerd;
    static RuntimeMatrix matrix;
    static Path hosts;

    /** Why the runtime cannot be tested here, if it cannot (missing, or unable to start): every test is skipped with it. */
    static String skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = RuntimeMatrix.unavailable(ContainerdThroughTheMirrorTest::setUp);
    }

    @BeforeEach
    void availableHere() {
        assumeTrue(skipped == null, skipped);
    }

    private static void setUp() throws Exception {
        containerd = ContainerdHarness.start(dir.resolve("containerd"));
        matrix = RuntimeMatrix.start(dir.resolve("mesh"));
        hosts = containerd.hostsDir(matrix.registry.hostPort(), matrix.a.registryUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (matrix != null) {
                matrix.close();
            }
        } finally {
            if (containerd != null) {
                containerd.close();
            }
        }
    }

    private static String pull(Image image, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("images", "pull", "--hosts-dir", hosts.toString()));
        args.addAll(List.of(options));
        args.add(image.ref(matrix.registry.hostPort()));
        ContainerdHarness.Result r = containerd.ctr(args.toArray(String[]::new));
        assertEquals(0, r.exit(), "ctr images pull of " + image.kind().description + " failed: " + r.output());
        return r.output();
    }

    private static void assertPulled(Image image, String output) throws Exception {
        assertTrue(output.contains("unpacking " + image.platform() + " " + image.digest()), output);
        ContainerdHarness.Result listed = containerd.ctr("images", "ls");
        assertTrue(listed.output().lines().anyMatch(l -> l.startsWith(image.ref(matrix.registry.hostPort()) + " ")
                && l.contains(image.mediaType()) && l.contains(image.digest().toString())), listed.output());
        List<Digest> exact = new ArrayList<>(List.of(image.digest(), image.manifest()));
        exact.addAll(image.blobs());
        for (Digest d : exact) {
            assertEquals(d, Digest.sha256(containerd.content(d.toString())), "containerd holds " + d + " byte for byte");
        }
    }

    @Test
    void containerdPullsAnOciImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.OCI, "ctr-oci", 201);
        Mark mark = matrix.mark();
        assertPulled(image, pull(image));
        matrix.assertServedFromOrigin(image, mark, "containerd");
    }

    @Test
    void containerdPullsADockerFormatImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.DOCKER, "ctr-docker", 211);
        Mark mark = matrix.mark();
        assertPulled(image, pull(image));
        matrix.assertServedFromOrigin(image, mark, "containerd");
    }

    @Test
    void containerdPullsItsPlatformOfAnOciIndexFromAPeer() throws Exception {
        Image image = matrix.image(Kind.OCI_INDEX, "ctr-index", 221);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        assertPulled(image, pull(image));
        matrix.assertServedFromPeer(image, mark, "containerd");
    }

    @Test
    void containerdPullsTheOtherPlatformOfADockerManifestListFromAPeer() throws Exception {
        Image image = matrix.image(Kind.DOCKER_LIST, "ctr-list", 231);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        assertPulled(image, pull(image, "--platform", image.platform()));
        matrix.assertServedFromPeer(image, mark, "containerd");
    }

    @Test
    void containerdPullsEveryPlatformOfAnOciIndexWithAllPlatforms() throws Exception {
        Image image = matrix.image(Kind.OCI_INDEX, "ctr-all", 241);
        Mark mark = matrix.mark();
        String out = pull(image, "--all-platforms");
        assertTrue(out.contains("unpacking linux/amd64") && out.contains("unpacking linux/arm64"), out);
        for (Digest d : image.otherPlatformBlobs()) {
            assertEquals(d, Digest.sha256(containerd.content(d.toString())), "containerd holds the other platform's " + d + " byte for byte");
        }
        matrix.assertServedFromOrigin(image, mark, "containerd");
    }
}
