package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.node.Skopeo;
import dev.chunkmesh.node.registry.MatrixImages.Image;
import dev.chunkmesh.node.registry.MatrixImages.Kind;
import dev.chunkmesh.node.registry.RuntimeMatrix.Mark;
import dev.chunkmesh.store.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's skopeo (1.9) copying each kind of image through node {@code a}'s mirror into a
 * {@code dir:} folder: the manifest it wrote is the origin's byte for byte (same digest), every blob
 * file hashes to its name, and the node served every layer. The multi-platform kinds are copied after
 * node {@code b} pulled them, so their blobs reach {@code a} from its peer.
 */
class SkopeoThroughTheMirrorTest {

    @TempDir
    static Path dir;
    static RuntimeMatrix matrix;

    /** Why the runtime cannot be tested here, if it cannot (missing, or unable to start): every test is skipped with it. */
    static String skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = RuntimeMatrix.unavailable(SkopeoThroughTheMirrorTest::setUp);
    }

    @BeforeEach
    void availableHere() {
        assumeTrue(skipped == null, skipped);
    }

    private static void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "Debian's skopeo is not installed (apt-get install skopeo)");
        matrix = RuntimeMatrix.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (matrix != null) {
            matrix.close();
        }
    }

    /** skopeo copy from node a's mirror to {@code dir:into} with {@code options}; fails the test if skopeo fails. */
    private static void copy(Image image, Path into, String... options) throws Exception {
        Skopeo.copy("docker://" + image.ref(matrix.mirror()), "dir:" + into, options);
    }

    private static void assertCopied(Image image, Path into, Digest manifest) throws Exception {
        assertEquals(manifest, Digest.sha256(Files.readAllBytes(into.resolve("manifest.json"))),
                "skopeo wrote the manifest the origin serves, byte for byte");
        List<Digest> blobs = RuntimeMatrix.assertDirBlobsExact(into);
        assertTrue(new HashSet<>(blobs).containsAll(image.blobs()), "every blob of " + image.platform() + " was copied: " + blobs);
    }

    @Test
    void skopeoCopiesAnOciImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.OCI, "skopeo-oci", 101);
        Mark mark = matrix.mark();
        copy(image, dir.resolve("copy-oci"));
        assertCopied(image, dir.resolve("copy-oci"), image.digest());
        matrix.assertServedFromOrigin(image, mark, "skopeo");
    }

    @Test
    void skopeoCopiesADockerFormatImageThroughTheMirror() throws Exception {
        Image image = matrix.image(Kind.DOCKER, "skopeo-docker", 111);
        Mark mark = matrix.mark();
        copy(image, dir.resolve("copy-docker"));
        assertCopied(image, dir.resolve("copy-docker"), image.digest());
        matrix.assertServedFromOrigin(image, mark, "skopeo");
    }

    @Test
    void skopeoCopiesEveryPlatformOfAnOciIndexFromAPeerWithAll() throws Exception {
        Image image = matrix.image(Kind.OCI_INDEX, "skopeo-index", 121);
        matrix.warmEveryPlatformOnPeer(image);
        Mark mark = matrix.mark();
        copy(image, dir.resolve("copy-index"), "--all");
        assertCopied(image, dir.resolve("copy-index"), image.digest());
        assertTrue(Files.exists(dir.resolve("copy-index").resolve(image.manifest().hex() + ".manifest.json")),
                "the platform manifests are copied beside the index");
        List<Digest> blobs = RuntimeMatrix.assertDirBlobsExact(dir.resolve("copy-index"));
        assertTrue(new HashSet<>(blobs).containsAll(image.otherPlatformBlobs()), "and the other platform's blobs too");
        matrix.assertServedFromPeer(image, mark, "skopeo");
    }

    @Test
    void skopeoCopiesOnePlatformOfADockerManifestListFromAPeer() throws Exception {
        Image image = matrix.image(Kind.DOCKER_LIST, "skopeo-list", 131);
        matrix.warmOnPeer(image);
        Mark mark = matrix.mark();
        copy(image, dir.resolve("copy-list"), "--override-os", "linux", "--override-arch", image.arch());
        assertCopied(image, dir.resolve("copy-list"), image.manifest());
        matrix.assertServedFromPeer(image, mark, "skopeo");
    }
}
