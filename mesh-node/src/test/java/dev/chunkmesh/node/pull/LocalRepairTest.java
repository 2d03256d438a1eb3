package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.Skopeo;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.registry.RawHttpAccess;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.disk.DiskChunkStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks that rot on a node's own disk: node {@code a} holds an image, its POP peer {@code b} holds it
 * too; bytes are flipped inside ten of {@code a}'s records, spread over the largest layer (most of them
 * past the mirror's read window), then the layer is asked for once. The one request succeeds
 * byte-exact, the bad chunks are fetched again from {@code b} (the origin sends nothing), and the store
 * is whole afterwards. Each test damages chunks anew, so the order of the tests does not matter. Node
 * {@code c} holds the image too, through a store that cannot read one chosen chunk however often it is
 * fetched again: a request for the layer then ends incomplete, at once.
 */
class LocalRepairTest {
    static final int BAD = 10;
    /** Requests for the held blob, each over ten freshly damaged chunks (the first chunk damaged in trial 0). */
    static final int TRIALS = 10;

    @TempDir
    static Path dir;
    static RegistryHarness registry;
    static TestPop pop;
    static MeshNode a;
    static MeshNode b;
    static MeshNode c;
    static final Unreadable unreadable = new Unreadable();
    static List<BlobRequest> image;
    static BlobRequest layer;

    /** A store wrapper whose reads of one chosen chunk fail as corrupt, however often it is fetched again. */
    static final class Unreadable implements UnaryOperator<ChunkStore> {
        volatile Digest broken;

        @Override
        public ChunkStore apply(ChunkStore store) {
            return new ForwardingChunkStore(store) {
                @Override
                public byte[] get(Digest digest) {
                    if (digest.equals(broken)) {
                        throw new ChunkCorruptException(digest, "unreadable in this test");
                    }
                    return super.get(digest);
                }
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryHarness.start(dir.resolve("registry"));
        OciImages oci = new OciImages(dir.resolve("oci"));
        oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(181, 60, 500_000), OciImages.Compression.NONE),
                oci.layer(OciImages.files(182, 8, 300_000), OciImages.Compression.GZIP)), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        Spec sa = Spec.pop("a", "127.0.0.1", "pop1");
        Spec sb = Spec.pop("b", "127.0.0.2", "pop1");
        Spec sc = Spec.pop("c", "127.0.0.3", "pop1");
        pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(sa, sb, sc));
        a = pop.start(sa);
        b = pop.start(sb);
        c = pop.start(sc, unreadable);
        pop.awaitMembers(3);
        image = ImageBlobs.of(a.upstreams().defaultOrigin(), "team/app", "v1");
        layer = image.stream().max(Comparator.comparingLong(BlobRequest::size)).orElseThrow();
        ThreeNodePopTest.pull(a, image);
        ThreeNodePopTest.pull(b, image);
        ThreeNodePopTest.pull(c, image);
        assertTrue(recipe().chunks().size() > 2 * 64, "the layer spans more than two read windows of the mirror: " + recipe().chunks().size());
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
    void aHeldBlobWithTenCorruptChunksIsServedWholeOnTheFirstRequestAndTheChunksFetchedAgain() throws Exception {
        for (int trial = 0; trial < TRIALS; trial++) {
            long corruptBefore = a.store().stats().corruptFound();
            long originBefore = registry.bytesSent("/blobs/");
            corrupt(a, recipe(), BAD, trial);

            assertServedWhole("trial " + trial + ", a local hit with " + BAD + " corrupt chunks");

            assertRepaired(corruptBefore, originBefore);
        }
    }

    @Test
    void aCorruptChunkMetWhileAPullStreamsTheBlobIsFetchedAgainNotServed() throws Exception {
        long corruptBefore = a.store().stats().corruptFound();
        long originBefore = registry.bytesSent("/blobs/");
        Recipe r = recipe();
        a.store().delete(r.chunks().get(r.chunks().size() / 2 + 1).digest());
        corrupt(a, r, BAD, 3);

        assertServedWhole("a pull of a blob held but one chunk, with " + BAD + " corrupt chunks");

        assertRepaired(corruptBefore, originBefore);
    }

    @Test
    void aCorruptChunkCountedAsHeldDoesNotFailThePullThatHashesTheBlob() throws Exception {
        long corruptBefore = a.store().stats().corruptFound();
        long originBefore = registry.bytesSent("/blobs/");
        Recipe r = recipe();
        a.localRecipes().forget(layer.blob());
        a.store().delete(r.chunks().get(r.chunks().size() / 3).digest());
        corrupt(a, r, BAD, 5);

        PullReport report = a.pulls().pull(a.upstreams().defaultOrigin(), "team/app", layer.blob()).result().get(120, TimeUnit.SECONDS);

        System.out.println("pull over " + BAD + " corrupt held chunks, the POP's recipe hashed: " + report.bytesBySource());
        assertTrue(report.bytesBySource().getOrDefault(SourceKind.SAME_POP, 0L) > 0, "the bad chunks came from the peer");
        assertRepaired(corruptBefore, originBefore);
    }

    @Test
    void skopeoCopiesAnImageWhoseChunksRotOnTheNodeInOneTry() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "Debian's skopeo is not installed (apt-get install skopeo)");
        long corruptBefore = a.store().stats().corruptFound();
        long originBefore = registry.bytesSent("/blobs/");
        corrupt(a, recipe(), BAD, 7);
        Path into = dir.resolve("copy");

        Skopeo.copy("docker://" + a.registryUrl().replaceFirst("^https?://", "") + "/team/app:v1", "dir:" + into);
        for (BlobRequest blob : image) {
            assertEquals(blob.blob(), Digest.sha256(Files.readAllBytes(into.resolve(blob.blob().hex()))), "skopeo got " + blob.blob() + " whole");
        }
        System.out.println("skopeo copy over " + BAD + " corrupt chunks: one try, " + image.size() + " blobs whole");
        assertRepaired(corruptBefore, originBefore);
    }

    @Test
    void aChunkStillUnreadableInsideThePullEndsTheResponseIncompleteAndAtOnce() throws Exception {
        Recipe r = recipe();
        List<Throwable> unhandled = new CopyOnWriteArrayList<>();
        c.vertx().exceptionHandler(unhandled::add);
        unreadable.broken = r.chunks().get(r.chunks().size() / 2).digest();
        long t0 = System.nanoTime();
        try {
            RawHttpAccess.Answer answer = RawHttpAccess.get(c.registryUrl(), "/v2/team/app/blobs/" + layer.blob());
            assertTrue(answer.body().length < layer.size(), "a blob with a chunk that cannot be read is never completed");
        } catch (IOException reset) {
            // the connection was reset before the end: what a client must see
        } finally {
            unreadable.broken = null;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("a chunk unreadable even after the repair: the response ended after %.1f s, incomplete%n", seconds);
        assertTrue(seconds < 5, "the response ends at once, it does not hang: " + seconds + " s");
        assertEquals(List.of(), unhandled, "the streamer met the unreadable chunk as a failed read, not as an exception in its handler");
    }

    /** The layer, asked for once through {@code a}'s mirror, comes out complete and byte-exact. */
    private static void assertServedWhole(String what) throws Exception {
        RawHttpAccess.Answer answer;
        try {
            answer = RawHttpAccess.get(a.registryUrl(), "/v2/team/app/blobs/" + layer.blob());
        } catch (IOException | RuntimeException reset) {
            throw new AssertionError(what + ": the request failed (" + reset + ")", reset);
        }
        assertEquals(200, answer.status(), what);
        assertEquals(layer.size(), answer.body().length, what + ": the whole blob came out");
        assertEquals(layer.blob(), Digest.sha256(answer.body()), what + ": byte-exact");
        System.out.println(what + ": served whole on the first request");
    }

    /** The damaged chunks were found and replaced from the peer: the store holds the layer whole again. */
    private static void assertRepaired(long corruptBefore, long originBefore) throws Exception {
        assertEquals(corruptBefore + BAD, a.store().stats().corruptFound(), "every damaged record was found and moved aside");
        for (ChunkRef c : recipe().chunks()) {
            assertTrue(a.store().has(c.digest()), "chunk " + c.digest() + " is held again");
        }
        assertEquals(layer.blob(), MeshFaultsTest.wholeDigest(a, layer.blob()), "what a holds is the layer, byte for byte");
        assertEquals(originBefore, registry.bytesSent("/blobs/"), "the peer covered the repair; the origin sent nothing");
    }

    private static Recipe recipe() {
        return b.localRecipes().find(layer.blob()).orElseThrow();
    }

    /** Flips a byte in the middle of the records of {@code count} distinct chunks spread over {@code r}, starting near {@code shift}. */
    static List<Digest> corrupt(MeshNode node, Recipe r, int count, int shift) throws IOException {
        DiskChunkStore disk = (DiskChunkStore) node.store();
        Set<Digest> picked = new LinkedHashSet<>();
        int n = r.chunks().size();
        for (int k = 0; picked.size() < count && k < n; k++) {
            Digest d = r.chunks().get((shift + (int) ((long) k * n / count) + k / count) % n).digest();
            if (disk.has(d)) {
                picked.add(d);
            }
        }
        for (Digest d : picked) {
            DiskChunkStore.FrameLocation at = disk.locationOf(d).orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(at.file().toFile(), "rw")) {
                long middle = at.offset() + at.length() / 2;
                f.seek(middle);
                int was = f.read();
                f.seek(middle);
                f.write(was ^ 0x5a);
            }
        }
        assertEquals(count, picked.size());
        return new ArrayList<>(picked);
    }
}
