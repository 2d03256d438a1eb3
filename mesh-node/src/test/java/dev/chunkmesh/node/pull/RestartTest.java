package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that crashes (Hazelcast cut off at once, no goodbye) in the middle of a first pull, then
 * starts again on the same folder: its store is consistent, the pull completes byte-exact, and what it
 * holds is advertised again, so a peer takes the whole image from it; and the chunks it stored before
 * the crash are adopted, not asked of the origin again.
 */
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void aNodeCrashedMidPullRestartsConsistentAndReadvertises() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             WanProxy slow = new WanProxy(new InetSocketAddress("127.0.0.1", registry.url().getPort()), 2_000_000, Duration.ZERO)) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(121, 12, 600_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Spec b = Spec.pop("b", "127.0.0.2", "pop1");
            Spec c = Spec.pop("c", "127.0.0.3", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(slow.url()), List.of(a, b, c))) {
                MeshNode first = pop.start(a);
                MeshNode peer = pop.start(b);
                pop.awaitMembers(2);
                List<BlobRequest> image = ImageBlobs.of(first.upstreams().defaultOrigin(), "team/app", "v1");
                long size = image.stream().mapToLong(BlobRequest::size).sum();
                new BatchPull(first.pulls(), image);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (first.store().stats().chunks() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(first.store().stats().chunks() >= 5, "the crash comes in the middle of the pull");
                first.kill();

                MeshNode again = pop.start(a);
                BatchPull.Result resumed = new BatchPull(again.pulls(), image).result().get(120, TimeUnit.SECONDS);
                assertEquals(size, resumed.bytesBySource().values().stream().mapToLong(Long::longValue).sum());
                for (BlobRequest blob : image) {
                    assertEquals(blob.blob(), MeshFaultsTest.wholeDigest(again, blob.blob()), "byte-exact after the crash");
                }
                MeshNode fresh = pop.start(c);
                long joined = System.nanoTime() + 30_000_000_000L;
                while (fresh.pop().membership().alive().size() < 3 && System.nanoTime() < joined) {
                    Thread.sleep(100);
                }
                BatchPull.Result fromPeer = new BatchPull(fresh.pulls(), image).result().get(120, TimeUnit.SECONDS);
                assertTrue(fromPeer.bytesBySource().get(SourceKind.SAME_POP) >= 0.99 * size,
                        "the restarted node's holdings are advertised and served: " + fromPeer.bytesBySource());
                System.out.printf("restart: %d chunks held at the end; resumed pull %s; fresh node %s%n",
                        again.store().stats().chunks(), resumed.bytesBySource(), fromPeer.bytesBySource());
            }
        }
    }

    @Test
    void aNodeRestartedAfterACrashMidFirstPullAsksTheOriginOnlyForWhatItDidNotHoldOnDisk() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             WanProxy slow = new WanProxy(new InetSocketAddress("127.0.0.1", registry.url().getPort()), 2_000_000, Duration.ZERO)) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(131, 40, 600_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Spec b = Spec.pop("b", "127.0.0.2", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(slow.url()), List.of(a, b))) {
                MeshNode first = pop.start(a);
                pop.start(b);
                pop.awaitMembers(2);
                BlobRequest layer = ImageBlobs.of(first.upstreams().defaultOrigin(), "team/app", "v1").stream()
                        .max(Comparator.comparingLong(BlobRequest::size)).orElseThrow();
                PullService.Pull crashed = first.pulls().pull(layer.origin(), layer.repository(), layer.blob());
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (crashed.progress().storedBytes() < layer.size() / 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(crashed.progress().storedBytes() >= layer.size() / 3 && !crashed.result().isDone(),
                        "the crash comes in the middle of the first pull");
                first.kill();
                long originBefore = registry.bytesSent("/blobs/");

                MeshNode again = pop.start(a);
                Set<Digest> onDisk = new HashSet<>();
                again.store().forEachHeld(onDisk::add);
                PullReport resumed = again.pulls().pull(layer.origin(), layer.repository(), layer.blob()).result().get(120, TimeUnit.SECONDS);

                Recipe recipe = again.localRecipes().find(layer.blob()).orElseThrow();
                long held = recipe.chunks().stream().filter(c -> onDisk.contains(c.digest())).mapToLong(ChunkRef::length).sum();
                long fromOrigin = registry.bytesSent("/blobs/") - originBefore;
                long adopted = resumed.bytesBySource().getOrDefault(SourceKind.LOCAL, 0L);
                long inFlight = 4L * 256 * 1024;
                System.out.printf("restart mid first pull: %d of %d bytes held on disk at the restart, %d adopted; the origin then sent %d%n",
                        held, layer.size(), adopted, fromOrigin);
                assertTrue(held >= layer.size() / 3, "the chunks stored before the crash were still on disk: " + held);
                assertEquals(layer.blob(), MeshFaultsTest.wholeDigest(again, layer.blob()), "byte-exact after the crash");
                assertTrue(adopted >= held - inFlight, "the chunks held on disk were adopted, but for puts in flight at the crash: "
                        + adopted + " of " + held + " bytes");
                assertEquals(layer.size() - adopted, fromOrigin, "the origin sent only the bytes after those adopted");
            }
        }
    }
}
