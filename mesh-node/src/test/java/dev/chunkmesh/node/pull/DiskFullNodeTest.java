package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.TinyFileSystem;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose store sits on a small real device (a tmpfs) that another program fills while the node
 * runs, far below the node's configured capacity: the node evicts what it held, completes the next
 * pull byte-exact, keeps serving its mirror and health check, and leaves only whole chunk files.
 */
class DiskFullNodeTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aDeviceFilledByAnotherProgramMakesTheNodeEvictAndKeepServing() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             TinyFileSystem disk = TinyFileSystem.mount(dir.resolve("disk"), "48m")) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(81, 8, 3_000_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.tag("v2", oci.manifest(List.of(oci.layer(OciImages.files(82, 8, 3_000_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            oci.push("v2", registry, "team/app");
            Spec a = Spec.pop("a", "127.0.0.1", "pop1");
            Path filler = disk.path().resolve("other-program.fill");
            try (TestPop pop = new TestPop(disk.path(), Optional.of(registry.url()), List.of(a))) {
                MeshNode node = pop.start(a, new NodeSettings().capacity("10GiB"));
                List<BlobRequest> v1 = ImageBlobs.of(node.upstreams().defaultOrigin(), "team/app", "v1");
                pullWhole(node, v1);
                long v2Size = ImageBlobs.of(node.upstreams().defaultOrigin(), "team/app", "v2").stream()
                        .mapToLong(BlobRequest::size).sum();
                fillLeaving(filler, disk, 2 * MIB);
                assertTrue(disk.usableBytes() < v2Size / 2, "the device cannot take v2 without eviction: " + disk.usableBytes() + " bytes free for " + v2Size);

                List<BlobRequest> v2 = ImageBlobs.of(node.upstreams().defaultOrigin(), "team/app", "v2");
                pullWhole(node, v2);
                assertTrue(node.store().stats().evictions() > 0, "v1's chunks made room");
                assertTrue(node.store().stats().capacityBytes() < 48 * MIB, "capacity follows the device: "
                        + node.store().stats().capacityBytes());
                for (BlobRequest blob : v2) {
                    assertEquals(blob.blob(), mirrorDigest(node, blob.blob()), "the mirror serves v2 whole");
                }
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(node.adminUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                System.out.printf("disk full: %d evictions, capacity now %d bytes, %d chunks held, %d bytes free%n",
                        node.store().stats().evictions(), node.store().stats().capacityBytes(), node.store().stats().chunks(),
                        disk.usableBytes());
            }
            assertEveryVisibleChunkIsWhole(disk.path().resolve("a").resolve("chunks"));
        }
    }

    private static void pullWhole(MeshNode node, List<BlobRequest> image) throws Exception {
        long size = image.stream().mapToLong(BlobRequest::size).sum();
        BatchPull.Result r = new BatchPull(node.pulls(), image).result().get(120, TimeUnit.SECONDS);
        assertEquals(size, r.bytesBySource().values().stream().mapToLong(Long::longValue).sum());
        for (BlobRequest blob : image) {
            assertEquals(blob.blob(), MeshFaultsTest.wholeDigest(node, blob.blob()), "byte-exact");
        }
    }

    /** Writes a file until the device has about {@code leave} bytes free, as another program would. */
    private static void fillLeaving(Path filler, TinyFileSystem disk, long leave) throws IOException {
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (disk.usableBytes() > leave + MIB) {
                out.write(block);
                out.flush();
            }
        }
    }

    private static Digest mirrorDigest(MeshNode node, Digest blob) throws Exception {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.registryUrl() + "/v2/team/app/blobs/" + blob)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return Digest.ofBytes(sha.digest());
    }

    private static void assertEveryVisibleChunkIsWhole(Path chunks) {
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(chunks, StoreLimits.unlimited(), false))) {
            List<Digest> held = new ArrayList<>();
            store.forEachHeld(held::add);
            assertTrue(held.size() > 0);
            for (Digest d : held) {
                store.get(d);
            }
            assertEquals(0, store.stats().corruptFound(), "no chunk file is half-written");
        }
    }
}
