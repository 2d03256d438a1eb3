package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull from a peer whose chunks are all sound but whose recipe lies: the POP's recipe and the claim
 * that a peer holds the blob are only advice (any member of the Hazelcast cluster can write them). Every
 * chunk passes its own check, so only the whole-blob digest, hashed as the chunks are checked, finds it out.
 */
class ForgedRecipeFromPeerTest {

    @TempDir
    Path dir;

    @Test
    void aBlobPulledFromAPeerWithAForgedRecipeIsNeverCompletedWithTheWrongBytes() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            List<OciImages.File> files = OciImages.files(71, 8, 600_000);
            OciImages.Layer held = oci.layer(files, OciImages.Compression.NONE);
            // The same files with a few bytes changed: a blob of the same size, so no size check can tell them apart.
            OciImages.Layer asked = oci.layer(OciImages.edit(files, 3, 100), OciImages.Compression.NONE);
            oci.tag("v1", oci.manifest(List.of(held, asked), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Spec b = Spec.pop("b", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(a, b))) {
                MeshNode na = pop.start(a);
                MeshNode nb = pop.start(b);
                pop.awaitMembers(2);
                RawHttp first = RawHttp.get(na.registryUrl(), "/v2/team/app/blobs/" + held.blob().digest());
                assertEquals(200, first.status());
                Recipe real = na.pop().recipes().find(held.blob().digest()).orElseThrow();
                // A member's forgery: the recipe of the blob node a holds, filed under the blob node b is about to
                // be asked for, and node a claimed as holding all of it, so node b takes every chunk from node a.
                na.pop().recipes().publish(new Recipe(asked.blob().digest(), real.size(), real.chunks()));
                na.pop().availability().advertise(na.info(), asked.blob().digest(), ChunkBitmap.full(real.chunks().size()));
                byte[] truth;
                try (InputStream in = RegistryClient.of(registry.url(), Optional.empty()).blob("team/app", asked.blob().digest())) {
                    truth = in.readAllBytes();
                }
                byte[] body;
                try {
                    body = RawHttp.get(nb.registryUrl(), "/v2/team/app/blobs/" + asked.blob().digest()).body();
                } catch (IOException reset) {
                    body = new byte[0];
                }
                assertEquals(truth.length, first.body().length, "the two blobs have the same size");
                assertTrue(peerBytes(nb) > 0, "node b took the forged recipe's chunks from node a");
                assertFalse(Arrays.equals(first.body(), body), "node b handed out the bytes the forged recipe named");
                assertTrue(body.length < truth.length || Arrays.equals(truth, body), "a body that is complete is the blob's own bytes");
                RawHttp again = RawHttp.get(nb.registryUrl(), "/v2/team/app/blobs/" + asked.blob().digest());
                assertEquals(200, again.status(), "once the forged recipe was found out, the blob comes from the origin");
                assertArrayEquals(truth, again.body());
            }
        }
    }

    /** Chunk bytes the node took from peers, by its metrics. */
    private static double peerBytes(MeshNode n) {
        return n.metrics().scrape().lines().filter(l -> l.startsWith("mesh_peer_fetched_bytes"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
