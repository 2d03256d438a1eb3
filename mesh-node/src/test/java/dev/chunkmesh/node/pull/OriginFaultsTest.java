package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.FlakyOrigin;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls against an origin that fails every third request, and one behind a slow link: all complete, byte-exact. */
class OriginFaultsTest {

    @TempDir
    Path dir;

    @Test
    void anOriginFailingEveryThirdRequestCostsRetriesButNoByte() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             FlakyOrigin flaky = new FlakyOrigin(registry.url(), 3)) {
            List<BlobRequest> image = push(registry);
            long size = image.stream().mapToLong(BlobRequest::size).sum();
            int trials = 3;
            for (int trial = 0; trial < trials; trial++) {
                Spec a = Spec.pop("a", "127.0.0.1", "pop1");
                try (TestPop pop = new TestPop(dir.resolve("nodes-" + trial), Optional.of(flaky.url()), List.of(a))) {
                    MeshNode node = pop.start(a);
                    List<BlobRequest> viaFlaky = ImageBlobs.of(node.upstreams().defaultOrigin(), "team/app", "v1");
                    BatchPull.Result r = new BatchPull(node.pulls(), viaFlaky).result().get(120, TimeUnit.SECONDS);
                    assertEquals(size, r.bytesBySource().get(SourceKind.ORIGIN), "trial " + trial);
                    for (BlobRequest b : image) {
                        assertEquals(b.blob(), MeshFaultsTest.wholeDigest(node, b.blob()), "trial " + trial + ": byte-exact");
                    }
                    assertTrue(node.upstreams().retries() > 0, "the node retried");
                }
            }
            System.out.printf("flaky origin: %d trials, %d requests answered 503, 0 bytes lost or corrupted%n", trials, flaky.failed());
            assertTrue(flaky.failed() > 0);
        }
    }

    @Test
    void aSlowOriginStillDeliversEveryByte() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             WanProxy slow = new WanProxy(new InetSocketAddress("127.0.0.1", registry.url().getPort()), 1_000_000, Duration.ofMillis(50))) {
            List<BlobRequest> image = push(registry);
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(slow.url()), List.of(a))) {
                MeshNode node = pop.start(a);
                BatchPull.Result r = new BatchPull(node.pulls(), ImageBlobs.of(node.upstreams().defaultOrigin(), "team/app", "v1")).result()
                        .get(120, TimeUnit.SECONDS);
                assertTrue(r.seconds() > 1, "the link was slow: " + r.seconds());
                for (BlobRequest b : image) {
                    assertEquals(b.blob(), MeshFaultsTest.wholeDigest(node, b.blob()));
                }
            }
        }
    }

    @Test
    void aBlobTheOriginCorruptsIsNeverDeliveredWholeThroughTheMirror() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             FlakyOrigin lying = new FlakyOrigin(registry.url(), Integer.MAX_VALUE).flippingBlobBytes()) {
            List<BlobRequest> image = push(registry);
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            int trials = 0;
            int refused = 0;
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(lying.url()), List.of(a))) {
                MeshNode node = pop.start(a);
                for (BlobRequest b : image) {
                    if (b.size() <= 1000) {
                        dev.chunkmesh.node.registry.RawHttpAccess.Answer r = dev.chunkmesh.node.registry.RawHttpAccess.get(node.registryUrl(),
                                "/v2/team/app/blobs/" + b.blob());
                        assertEquals(b.blob(), dev.chunkmesh.store.Digest.sha256(r.body()), "a blob the origin left alone comes out whole");
                        continue;
                    }
                    trials++;
                    try {
                        dev.chunkmesh.node.registry.RawHttpAccess.Answer r = dev.chunkmesh.node.registry.RawHttpAccess.get(node.registryUrl(),
                                "/v2/team/app/blobs/" + b.blob());
                        assertTrue(r.status() != 200 || r.body().length < b.size(),
                                "blob " + b.blob() + " came out as a complete response (" + r.body().length + " of " + b.size() + " bytes)");
                    } catch (java.io.IOException reset) {
                        // the connection was reset before the end: what a client must see
                    }
                    refused++;
                }
            }
            assertTrue(lying.flipped() > 0, "the origin lied");
            System.out.printf("lying origin: %d blobs through the mirror, %d never completed, 0 delivered whole%n", trials, refused);
        }
    }

    @Test
    void anOriginThatStallsMidBodyFailsThePullWithinTheStallTimeoutAndDoesNotHoldTheBlobHostage() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             FlakyOrigin stalling = new FlakyOrigin(registry.url(), Integer.MAX_VALUE).stallingBlobBodies()) {
            List<BlobRequest> image = push(registry);
            BlobRequest big = image.stream().max(java.util.Comparator.comparingLong(BlobRequest::size)).orElseThrow();
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(stalling.url()), List.of(a))) {
                MeshNode node = pop.start(a, new NodeSettings().stallTimeout(Duration.ofSeconds(2)));
                long t0 = System.nanoTime();
                java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> node.pulls().pull(node.upstreams().defaultOrigin(), "team/app", big.blob()).result().get(60, TimeUnit.SECONDS));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < 15, "gave up within the stall timeout and its checks, not minutes: " + seconds + " s");
                assertTrue(String.valueOf(failed.getCause().getMessage()).contains("no bytes for 2 s"), failed.getCause().toString());
                stalling.stopStalling();
                node.pulls().pull(node.upstreams().defaultOrigin(), "team/app", big.blob()).result().get(60, TimeUnit.SECONDS);
                assertEquals(big.blob(), MeshFaultsTest.wholeDigest(node, big.blob()), "the next pull is not held by the hung one");
                System.out.printf("stalling origin: pull failed after %.1f s, the next one completed byte-exact%n", seconds);
            }
        }
    }

    private List<BlobRequest> push(RegistryHarness registry) throws Exception {
        OciImages oci = new OciImages(dir.resolve("oci"));
        oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(111, 8, 300_000), OciImages.Compression.NONE)), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        return ImageBlobs.of(new dev.chunkmesh.node.origin.RegistryOrigin(dev.chunkmesh.registry.RegistryClient.of(registry.url(),
                Optional.empty()), dev.chunkmesh.node.origin.Bandwidth.unlimited()), "team/app", "v1");
    }
}
