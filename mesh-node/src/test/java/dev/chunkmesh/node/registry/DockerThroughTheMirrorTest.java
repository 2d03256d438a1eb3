package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * Docker Engine (Debian's 20.10, a dockerd of the test's own, {@link DockerHarness}) with
 * {@code registry-mirrors} naming node {@code a}, pulling each kind of image by its Docker Hub name
 * ({@code library/<name>} at the origin, the node's default origin). Docker sends one {@code Accept}
 * line per manifest type, so these pulls are what prove the mirror negotiates as a registry does.
 * Docker Hub cannot be reached from here, so a pull that succeeds came through the mirror; the
 * origin's log shows Docker never asked it anything. Afterwards the image's id is the origin's config
 * digest and {@code docker save} gives back every layer byte for byte.
 */
class DockerThroughTheMirrorTest {

    @TempDir
    static Path dir;
    static RuntimeMatrix matrix;
    static DockerHarness docker;

    /** Why the runtime cannot be tested here, if it cannot (missing, or unable to start): every test is skipped with it. */
    static String skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = RuntimeMatrix.unavailable(DockerThroughTheMirrorTest::setUp);
    }

    @BeforeEach
    void availableHere() {
        assumeTrue(skipped == null, skipped);
    }

    private static void setUp() throws Exception {
        DockerHarness.assumeAvailable();
        matrix = RuntimeMatrix.start(dir.resolve("mesh"));
        try {
            docker = DockerHarness.start(dir.resolve("docker"), matrix.a.registryUrl());
        } catch (Throwable e) {
            matrix.close();
            matrix = null;
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (docker != null) {
                docker.close();
            }
        } finally {
            if (matrix != null) {
                matrix.close();
            }
        }
    }

    /** The name Docker pulls: the repository without {@code library/}, and the tag. */
    private static String name(Image image) {
        return image.repository().substring("library/".length()) + ":" + image.tag();
    }

    private static void pull(Image image, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("pull"));
        args.addAll(List.of(options));
        args.add(name(image));
        DockerHarness.Result r = docker.docker(args.toArray(String[]::new));
        assertEquals(0, r.exit(), "docker pull of " + image.kind().description + " failed: " + r.output() + "\ndockerd: " + docker.log());
        assertTrue(r.output().contains("Digest: " + image.digest()), "Docker resolved the tag to the origin's digest: " + r.output());
    }

    private static void assertPulled(Image image) throws Exception {
        DockerHarness.Result inspected = docker.docker("image", "inspect", "--format", "{{.Id}} {{.Architecture}}", name(image));
        assertEquals(0, inspected.exit(), inspected.output());
        assertEquals(image.config() + " " + image.arch(), inspected.output().strip(),
                "Docker's image is the origin's config for the platform asked for");
        Path tarball = dir.resolve(image.repository().replace('/', '-') + ".tar");
        DockerHarness.Result saved = docker.docker("save", "-o", tarball.toString(), name(image));
        assertEquals(0, saved.exit(), saved.output());
        RuntimeMatrix.assertArchiveExact(tarball, image, dir.resolve(image.repository().replace('/', '-') + "-saved"));
    }

    @Test
    void dockerPullsAnOciImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.OCI, "docker-oci", 401);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromOrigin(image, mark, "docker");
    }

    @Test
    void dockerPullsADockerFormatImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.DOCKER, "docker-docker", 411);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromOrigin(image, mark, "docker");
    }

    @Test
    void dockerPullsItsPlatformOfAnOciIndexFromAPeer() throws Exception {
        Image image = matrix.image(Kind.OCI_INDEX, "docker-index", 421);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        pull(image);
        assertPulled(image);
        matrix.assertServedFromPeer(image, mark, "docker");
    }

    @Test
    void dockerPullsTheOtherPlatformOfADockerManifestListFromAPeer() throws Exception {
        Image image = matrix.image(Kind.DOCKER_LIST, "docker-list", 431);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        pull(image, "--platform", image.platform());
        assertPulled(image);
        matrix.assertServedFromPeer(image, mark, "docker");
    }

    @Test
    void dockerPullOfAnImageTheOriginLacksFailsWithoutLeavingThisMachine() throws Exception {
        Mark mark = matrix.mark();
        DockerHarness.Result r = docker.docker("pull", "not-at-the-origin:v1");
        assertTrue(r.exit() != 0, r.output());
        List<String> asked = matrix.originRequestsSince(mark);
        assertTrue(!asked.isEmpty() && asked.stream().allMatch(l -> l.contains(RuntimeMatrix.NODE_AGENT)),
                "the node asked the origin, Docker did not: " + asked);
        assertTrue(r.output().contains("127.0.0.1:53"), "after the mirror's 404 Docker falls back to Docker Hub, whose name it looks up on "
                + "loopback only: " + r.output());
    }
}
