package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Recipe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose small store evicts an older image to take a newer one: after the refresh, its claims
 * match what the store still holds, and a blob with nothing left is withdrawn and its recipe forgotten
 * on the node and in the POP. A peer then pulls the evicted image without being sent to chunks that
 * are gone.
 */
class HoldingsRefreshTest {

    @TempDir
    Path dir;

    @Test
    void claimsAndRecipesFollowEvictions() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            List<OciImages.Layer> old = List.of(
                    oci.layer(OciImages.files(31, 3, 600_000), OciImages.Compression.NONE),
                    oci.layer(OciImages.files(32, 3, 600_000), OciImages.Compression.NONE),
                    oci.layer(OciImages.files(33, 3, 600_000), OciImages.Compression.NONE));
            oci.tag("v1", oci.manifest(old, "linux", "amd64"));
            oci.tag("v2", oci.manifest(List.of(oci.layer(OciImages.files(34, 8, 1_000_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            oci.push("v2", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Spec b = Spec.pop("b", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(a, b))) {
                MeshNode small = pop.start(a, new NodeSettings().capacity("4MiB"));
                MeshNode peer = pop.start(b);
                pop.awaitMembers(2);
                List<BlobRequest> v1 = ImageBlobs.of(small.upstreams().defaultOrigin(), "team/app", "v1");
                new BatchPull(small.pulls(), v1).result().get(120, TimeUnit.SECONDS);
                new BatchPull(small.pulls(), ImageBlobs.of(small.upstreams().defaultOrigin(), "team/app", "v2"))
                        .result().get(120, TimeUnit.SECONDS);
                assertTrue(small.store().stats().evictions() > 0, "v2 made the store evict: " + small.store().stats());

                small.refreshHoldings();
                int gone = 0;
                for (BlobRequest blob : v1) {
                    Optional<Recipe> local = small.localRecipes().find(blob.blob());
                    ChunkBitmap claim = claimOf(small, blob);
                    if (local.isEmpty()) {
                        gone++;
                        assertTrue(claim == null, "a blob with nothing left is not claimed: " + blob.blob());
                        assertFalse(small.pop().recipes().find(blob.blob()).isPresent(), "nor is its recipe kept in the POP");
                        continue;
                    }
                    long held = local.get().chunks().stream().filter(c -> small.store().has(c.digest())).count();
                    assertEquals(held, claim == null ? 0 : claim.count(), "the claim is what the store holds: " + blob.blob());
                }
                assertTrue(gone > 0, "at least the oldest v1 blob was evicted whole");

                BatchPull.Result again = new BatchPull(peer.pulls(), v1).result().get(120, TimeUnit.SECONDS);
                assertEquals(v1.stream().mapToLong(BlobRequest::size).sum(),
                        again.bytesBySource().values().stream().mapToLong(Long::longValue).sum());
                for (BlobRequest blob : v1) {
                    assertEquals(blob.blob(), MeshFaultsTest.wholeDigest(peer, blob.blob()));
                }
                assertEquals(0, peer.pulls().penalties().counts().size(), "no peer was taken for a liar");
            }
        }
    }

    private static ChunkBitmap claimOf(MeshNode node, BlobRequest blob) {
        for (Map.Entry<NodeInfo, ChunkBitmap> e : node.pop().availability().holders(blob.blob()).entrySet()) {
            if (e.getKey().id().equals(node.info().id())) {
                return e.getValue();
            }
        }
        return null;
    }
}
