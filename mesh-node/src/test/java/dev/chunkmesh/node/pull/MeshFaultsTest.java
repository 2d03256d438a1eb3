package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiers and faults with real nodes: a POP of five on 127.0.0.1-5 and a micro-hub on 127.0.0.6 whose
 * parent is that POP; one node serves its chunks slowly and is killed mid-transfer, one corrupts
 * every chunk it serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshFaultsTest {

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop pop;
    static MeshNode a;
    static MeshNode slow;
    static MeshNode puller;
    static MeshNode liar;
    static MeshNode victim;
    static MeshNode hub;
    static List<BlobRequest> image;
    static long size;
    static final CountDownLatch slowServed = new CountDownLatch(20);

    /** Serves every chunk 30 ms late, counting them. */
    static final class Slow extends ForwardingChunkStore {
        Slow(ChunkStore d) {
            super(d);
        }

        @Override
        public byte[] getFrame(Digest digest) {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowServed.countDown();
            return super.getFrame(digest);
        }
    }

    /** Stores honestly, serves garbage: every frame it sends is a valid frame of other bytes. */
    static final class Corrupting extends ForwardingChunkStore {
        Corrupting(ChunkStore d) {
            super(d);
        }

        @Override
        public byte[] getFrame(Digest digest) {
            byte[] raw = super.get(digest);
            raw[raw.length / 2] ^= 0x01;
            return ChunkFrame.encode(raw);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        OciImages oci = new OciImages(dir.resolve("oci"));
        OciImages.Layer l1 = oci.layer(OciImages.files(11, 30, 500_000), OciImages.Compression.NONE);
        OciImages.Layer l2 = oci.layer(OciImages.files(12, 10, 500_000), OciImages.Compression.GZIP);
        oci.tag("v1", oci.manifest(List.of(l1, l2), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("slow", "127.0.0.2", "pop1"),
                Spec.pop("puller", "127.0.0.3", "pop1"), Spec.pop("liar", "127.0.0.4", "pop1"), Spec.pop("victim", "127.0.0.5", "pop1"),
                Spec.hub("hub", "127.0.0.6", "hub1", "pop1"));
        pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), specs);
        a = pop.start(specs.get(0));
        slow = pop.start(specs.get(1), Slow::new);
        puller = pop.start(specs.get(2));
        liar = pop.start(specs.get(3), Corrupting::new);
        victim = pop.start(specs.get(4));
        hub = pop.start(specs.get(5));
        pop.awaitMembers(6);
        image = ImageBlobs.of(a.upstreams().defaultOrigin(), "team/app", "v1");
        size = image.stream().mapToLong(BlobRequest::size).sum();
        assertEquals(size, ThreeNodePopTest.pull(a, image).bytesBySource().get(SourceKind.ORIGIN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pop != null) {
            pop.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void aMicroHubTakesChunksFromItsParentPopBeforeTheOrigin() throws Exception {
        BatchPull.Result r = ThreeNodePopTest.pull(hub, image);
        System.out.println("micro-hub pull: " + r.bytesBySource() + " in " + r.seconds() + " s");
        assertEquals(size, r.bytesBySource().get(SourceKind.PARENT), "every byte came from the parent POP");
        assertEquals(0, r.bytesBySource().get(SourceKind.ORIGIN));
    }

    @Test
    @Order(2)
    void aPeerSendingWrongBytesIsCaughtPenalisedAndRoutedAround() throws Exception {
        ThreeNodePopTest.pull(liar, image);
        long before = registry.bytesSent("/blobs/");
        BatchPull.Result r = ThreeNodePopTest.pull(victim, image);
        System.out.println("pull beside a lying peer: " + r.bytesBySource() + ", bad peers " + r.blobs().stream().mapToInt(PullReport::badPeers).sum());
        assertEquals(size, r.bytesBySource().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(r.blobs().stream().anyMatch(b -> b.badPeers() > 0), "the lie was noticed");
        assertTrue(victim.pulls().penalties().counts().containsKey(new NodeId("liar")), "and the liar penalised");
        assertEquals(before, registry.bytesSent("/blobs/"), "honest peers covered for it; the origin sent nothing");
        for (BlobRequest b : image) {
            assertEquals(b.blob(), wholeDigest(victim, b.blob()), "what the victim holds is the blob, byte for byte");
        }
    }

    @Test
    @Order(3)
    void aPeerKilledWhileServingDoesNotStopThePull() throws Exception {
        ThreeNodePopTest.pull(slow, image);
        Future<BatchPull.Result> running = new BatchPull(puller.pulls(), image).result();
        assertTrue(slowServed.await(60, TimeUnit.SECONDS), "the slow peer began serving");
        slow.kill();
        BatchPull.Result r = running.get(120, TimeUnit.SECONDS);
        System.out.println("pull with a peer killed mid-transfer: " + r.bytesBySource());
        assertEquals(size, r.bytesBySource().values().stream().mapToLong(Long::longValue).sum());
        for (BlobRequest b : image) {
            assertEquals(b.blob(), wholeDigest(puller, b.blob()));
        }
    }

    static Digest wholeDigest(MeshNode n, Digest blob) throws Exception {
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        for (var c : n.localRecipes().find(blob).orElseThrow().chunks()) {
            sha.update(n.store().get(c.digest()));
        }
        return Digest.ofBytes(sha.digest());
    }
}
