package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Busy peers are waited for, never a reason to fail or to go to the origin. A holder with one upload slot and a slow disk, asked for several batches at once: it answers all but one
 * busy (503), and the puller waits for it rather than going to the origin, and gets every byte from it.
 */
class BusyHolderTest {

    @TempDir
    Path dir;

    /** Reads each chunk 10 ms late, so a peer's batch holds its upload slot for a while. */
    static final class SlowDisk extends ForwardingChunkStore {
        SlowDisk(ChunkStore d) {
            super(d);
        }

        @Override
        public byte[] getFrame(Digest digest) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.getFrame(digest);
        }
    }

    @Test
    void aHolderWithItsUploadSlotsTakenAnswersBusyAndThePullWaitsForItInsteadOfTheOrigin() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(177, 16, 400_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec h = Spec.pop("holder", "127.0.0.1", "pop1");
            Spec s = Spec.pop("seeker", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(h, s))) {
                MeshNode holder = pop.start(h, new NodeSettings().uploadSlots(1), SlowDisk::new);
                MeshNode seeker = pop.start(s);
                pop.awaitMembers(2);
                List<BlobRequest> image = ImageBlobs.of(holder.upstreams().defaultOrigin(), "team/app", "v1");
                long size = ThreeNodePopTest.size(image);
                assertEquals(size, ThreeNodePopTest.pull(holder, image).bytesBySource().get(SourceKind.ORIGIN));

                long before = registry.bytesSent("/blobs/");
                BatchPull.Result r = ThreeNodePopTest.pull(seeker, image);
                assertEquals(0, registry.bytesSent("/blobs/") - before, "nothing the busy holder holds went to the origin");
                assertEquals(size, r.bytesBySource().get(SourceKind.SAME_POP), "every byte from the holder: " + r.bytesBySource());
                for (BlobRequest b : image) {
                    assertEquals(b.blob(), MeshFaultsTest.wholeDigest(seeker, b.blob()), "byte for byte");
                }
                long busy = counter(holder.metrics().scrape(), "mesh_peer_busy_answers_total");
                assertTrue(busy > 0, "batches beyond the one slot were answered busy");
                System.out.printf("busy holder: %d requests answered busy, %d bytes all from the holder%n", busy, size);
            }
        }
    }

    @Test
    void aFollowerOfAFirstPullWaitsOutBusyAnswersFromTheLeaderInsteadOfFailing() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(178, 16, 400_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", registry.url().getPort());
            Spec l = Spec.pop("leader", "127.0.0.1", "pop1");
            Spec f = Spec.pop("follower", "127.0.0.2", "pop1");
            try (WanProxy slowLink = new WanProxy(target, 3_000_000, Duration.ZERO);
                 TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(slowLink.url()), List.of(l, f))) {
                MeshNode leader = pop.start(l, new NodeSettings().uploadSlots(1), SlowDisk::new);
                MeshNode follower = pop.start(f, new NodeSettings().peerWindow(4).set("pull.peer-batch", "4"));
                pop.awaitMembers(2);
                BlobRequest layer = ImageBlobs.of(leader.upstreams().defaultOrigin(), "team/app", "v1").stream()
                        .max(Comparator.comparingLong(BlobRequest::size)).orElseThrow();
                long before = registry.bytesSent("/blobs/");
                PullService.Pull led = leader.pulls().pull(layer.origin(), layer.repository(), layer.blob());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (leader.pulls().prefix(layer.blob(), 0).map(p -> p.chunks().size() < 16).orElse(true)) {
                    assertTrue(System.nanoTime() < deadline, "the leader stored no 16 chunks in 30 s");
                    Thread.sleep(5);
                }
                PullReport followed = follower.pulls().pull(layer.origin(), layer.repository(), layer.blob()).result().get(120, TimeUnit.SECONDS);
                assertTrue(led.result().get(120, TimeUnit.SECONDS).firstToChunk(), "the leader chunked the layer from the origin");
                assertEquals(layer.size(), registry.bytesSent("/blobs/") - before, "the origin sent the layer once, to the leader");
                assertEquals(layer.size(), followed.bytesBySource().get(SourceKind.SAME_POP), "every byte from the leader: " + followed.bytesBySource());
                assertEquals(layer.blob(), MeshFaultsTest.wholeDigest(follower, layer.blob()), "byte for byte");
                assertTrue(counter(leader.metrics().scrape(), "mesh_peer_busy_answers_total") > 0, "the follower's batches beyond the one slot were answered busy");
            }
        }
    }

    private static long counter(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return (long) total;
    }
}
