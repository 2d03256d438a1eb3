package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the POP's shared recipe of a blob is gone (as when both copies of a Hazelcast entry leave
 * with a split) but a node still holds the blob, a puller takes the recipe from that node and the
 * chunks from it too, instead of chunking the blob from the origin again.
 */
class LostRecipeTest {

    @TempDir
    Path dir;

    @Test
    void aPullerWhoseSharedRecipeIsGoneTakesItFromAHolder() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(51, 6, 800_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Spec b = Spec.pop("b", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(a, b))) {
                MeshNode holder = pop.start(a);
                MeshNode puller = pop.start(b);
                pop.awaitMembers(2);
                List<BlobRequest> image = ImageBlobs.of(holder.upstreams().defaultOrigin(), "team/app", "v1");
                new BatchPull(holder.pulls(), image).result().get(120, TimeUnit.SECONDS);
                for (BlobRequest blob : image) {
                    holder.pop().recipes().forget(blob.blob());
                }
                BatchPull.Result r = new BatchPull(puller.pulls(), image).result().get(120, TimeUnit.SECONDS);
                assertEquals(0L, r.bytesBySource().getOrDefault(SourceKind.ORIGIN, 0L), "nothing from the origin: " + r.bytesBySource());
                for (BlobRequest blob : image) {
                    assertEquals(blob.blob(), MeshFaultsTest.wholeDigest(puller, blob.blob()));
                }
            }
        }
    }
}
