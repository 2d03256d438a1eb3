package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder that fails one request (its disk failed one read: a 500) is rested and asked again, not given up:
 * the puller takes every byte from it and nothing from the origin.
 */
class FlakyHolderTest {

    @TempDir
    Path dir;

    /** Fails the first frame read after it is armed, as a disk with one bad read would. */
    static final class OneBadRead extends ForwardingChunkStore {
        static final AtomicBoolean ARMED = new AtomicBoolean();

        OneBadRead(ChunkStore d) {
            super(d);
        }

        @Override
        public byte[] getFrame(Digest digest) {
            if (ARMED.compareAndSet(true, false)) {
                throw new UncheckedIOException(new IOException("one failed read"));
            }
            return super.getFrame(digest);
        }
    }

    @Test
    void aHolderThatFailsOneRequestIsAskedAgainAfterItsRestAndNothingGoesToTheOrigin() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(179, 16, 400_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec h = Spec.pop("holder", "127.0.0.1", "pop1");
            Spec s = Spec.pop("seeker", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(h, s))) {
                MeshNode holder = pop.start(h, OneBadRead::new);
                MeshNode seeker = pop.start(s);
                pop.awaitMembers(2);
                List<BlobRequest> image = ImageBlobs.of(holder.upstreams().defaultOrigin(), "team/app", "v1");
                long size = ThreeNodePopTest.size(image);
                assertEquals(size, ThreeNodePopTest.pull(holder, image).bytesBySource().get(SourceKind.ORIGIN));

                OneBadRead.ARMED.set(true);
                long before = registry.bytesSent("/blobs/");
                BatchPull.Result r = ThreeNodePopTest.pull(seeker, image);
                assertFalse(OneBadRead.ARMED.get(), "the holder failed one read");
                assertEquals(0, registry.bytesSent("/blobs/") - before, "nothing the holder holds went to the origin");
                assertEquals(size, r.bytesBySource().get(SourceKind.SAME_POP), "every byte from the holder: " + r.bytesBySource());
                for (BlobRequest b : image) {
                    assertEquals(b.blob(), MeshFaultsTest.wholeDigest(seeker, b.blob()), "byte for byte");
                }
            }
        }
    }
}
