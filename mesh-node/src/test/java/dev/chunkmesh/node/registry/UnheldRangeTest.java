package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Recipe;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A range of a blob the node does not hold yet. The POP's recipe of it is only advice (any member of
 * the Hazelcast cluster can write one), so the range must not be cut out of chunks before the whole
 * blob has been checked against its digest.
 */
class UnheldRangeTest {

    @TempDir
    Path dir;

    @Test
    void aRangeOfABlobWhosePopRecipeLiesNeverCarriesTheWrongBytes() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            OciImages.Layer held = oci.layer(OciImages.files(61, 8, 600_000), OciImages.Compression.NONE);
            OciImages.Layer asked = oci.layer(OciImages.files(62, 8, 600_000), OciImages.Compression.NONE);
            oci.tag("v1", oci.manifest(List.of(held, asked), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(a))) {
                MeshNode node = pop.start(a);
                pop.awaitMembers(1);
                RawHttp first = RawHttp.get(node.registryUrl(), "/v2/team/app/blobs/" + held.blob().digest());
                assertEquals(200, first.status());
                Recipe real = node.pop().recipes().find(held.blob().digest()).orElseThrow();
                // What a member of the Hazelcast cluster without the secret can write: the recipe of a held
                // blob, filed under the blob about to be asked for.
                node.pop().recipes().publish(new Recipe(asked.blob().digest(), real.size(), real.chunks()));
                byte[] truth;
                try (InputStream in = RegistryClient.of(registry.url(), Optional.empty()).blob("team/app", asked.blob().digest())) {
                    truth = in.readAllBytes();
                }
                int from = 1000;
                int to = (int) Math.min(real.size(), truth.length) - 1000;
                RawHttp part = RawHttp.get(node.registryUrl(), "/v2/team/app/blobs/" + asked.blob().digest(), "Range: bytes=" + from + "-" + (to - 1));
                byte[] lie = Arrays.copyOfRange(first.body(), from, to);
                assertFalse(Arrays.equals(lie, part.body()), "the range was cut out of the chunks the forged recipe named");
                if (part.status() == 206) {
                    assertArrayEquals(Arrays.copyOfRange(truth, from, to), part.body(), "a range that is served is the blob's own bytes");
                } else {
                    assertTrue(part.status() >= 500, "or it fails: " + part.status());
                }
                RawHttp again = RawHttp.get(node.registryUrl(), "/v2/team/app/blobs/" + asked.blob().digest(), "Range: bytes=" + from + "-" + (to - 1));
                assertEquals(206, again.status(), "once the forged recipe was found out, the blob comes from the origin");
                assertArrayEquals(Arrays.copyOfRange(truth, from, to), again.body());
            }
        }
    }
}
