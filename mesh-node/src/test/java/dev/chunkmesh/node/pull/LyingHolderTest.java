package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that advertises a whole image but serves only half its chunks (as a node whose chunks vanished
 * from disk behind its claims would): pullers beside it still get every byte, taking what it refuses
 * from the origin when nobody else holds it, and from an honest peer when one does.
 */
class LyingHolderTest {

    @TempDir
    Path dir;

    /** Stores and reads honestly for its own node; refuses peers every chunk whose digest's first byte is odd. */
    static final class Hollow extends ForwardingChunkStore {
        static final AtomicInteger refused = new AtomicInteger();

        Hollow(ChunkStore d) {
            super(d);
        }

        @Override
        public byte[] getFrame(Digest digest) {
            if ((digest.bytes()[0] & 1) == 1) {
                refused.incrementAndGet();
                throw new ChunkMissingException(digest);
            }
            return super.getFrame(digest);
        }
    }

    @Test
    void pullsBesideAHolderThatLacksWhatItAdvertisesLoseNoByte() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(131, 16, 400_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec h = Spec.pop("hollow", "127.0.0.1", "pop1");
            Spec s1 = Spec.pop("seeker1", "127.0.0.2", "pop1");
            Spec s2 = Spec.pop("seeker2", "127.0.0.3", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(h, s1, s2))) {
                MeshNode hollow = pop.start(h, Hollow::new);
                MeshNode seeker1 = pop.start(s1);
                MeshNode seeker2 = pop.start(s2);
                pop.awaitMembers(3);
                List<BlobRequest> image = ImageBlobs.of(hollow.upstreams().defaultOrigin(), "team/app", "v1");
                long size = ThreeNodePopTest.size(image);
                assertEquals(size, ThreeNodePopTest.pull(hollow, image).bytesBySource().get(SourceKind.ORIGIN));

                long before = registry.bytesSent("/blobs/");
                BatchPull.Result alone = ThreeNodePopTest.pull(seeker1, image);
                long originAlone = registry.bytesSent("/blobs/") - before;
                int refusedAlone = Hollow.refused.get();
                assertWhole(seeker1, image, alone, size);
                assertTrue(refusedAlone > 0, "the hollow holder was asked and refused");
                assertTrue(alone.bytesBySource().get(SourceKind.SAME_POP) > 0, "what it does hold was taken from it");
                assertTrue(originAlone > 0 && originAlone < size, "only what it lacks came from the origin: " + originAlone);
                assertEquals(alone.bytesBySource().get(SourceKind.ORIGIN), seeker1.metrics().refetchedFromOriginBytes(),
                        "what the POP advertised but had to take from the origin again is counted for the operator");

                before = registry.bytesSent("/blobs/");
                BatchPull.Result beside = ThreeNodePopTest.pull(seeker2, image);
                long originBeside = registry.bytesSent("/blobs/") - before;
                assertWhole(seeker2, image, beside, size);
                assertEquals(0, originBeside, "an honest holder covered every refused chunk");
                assertEquals(0, seeker2.metrics().refetchedFromOriginBytes());
                System.out.printf("lying holder: 2 trials, %d chunk requests refused; alone %s (origin sent %d), beside an honest peer %s"
                        + " (origin sent %d); 0 bytes lost or corrupt%n", Hollow.refused.get(), alone.bytesBySource(), originAlone,
                        beside.bytesBySource(), originBeside);
            }
        }
    }

    private static void assertWhole(MeshNode n, List<BlobRequest> image, BatchPull.Result r, long size) throws Exception {
        Map<SourceKind, Long> by = r.bytesBySource();
        assertEquals(size, by.values().stream().mapToLong(Long::longValue).sum(), "every byte accounted: " + by);
        for (BlobRequest b : image) {
            assertEquals(b.blob(), MeshFaultsTest.wholeDigest(n, b.blob()), "byte for byte");
        }
    }
}
