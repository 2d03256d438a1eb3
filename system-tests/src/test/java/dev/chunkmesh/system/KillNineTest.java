package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real node process in the middle of ingesting an image from a slow origin,
 * several times over, then restarts on the same folder: no chunk that was stored before a kill is
 * lost, none is corrupt, the pull completes byte-exact, and a peer takes the whole image from the
 * restarted node (its holdings were advertised again).
 */
class KillNineTest {

    private static final int TRIALS = 3;

    @TempDir
    Path dir;

    @Test
    void aNodeKilledDuringIngestRestartsWithNothingLostOrCorruptAndIsAdvertisedAgain() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             WanProxy slow = new WanProxy(new InetSocketAddress("127.0.0.1", registry.url().getPort()), 3_000_000, Duration.ZERO)) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(91, 12, 3_000_000), OciImages.Compression.NONE),
                    oci.layer(OciImages.files(92, 6, 2_000_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            ProcessCluster cluster = new ProcessCluster(dir, slow.url(), List.of("127.0.0.1", "127.0.0.2"));
            NodeSettings a = cluster.node("a", "127.0.0.1");
            NodeSettings b = cluster.node("b", "127.0.0.2");
            try (NodeProcess peer = NodeProcess.start("b", b, List.of(), dir.resolve("b.log")).awaitHealthy(Duration.ofSeconds(60))) {
                long lost = 0;
                for (int trial = 1; trial <= TRIALS; trial++) {
                    NodeProcess victim = NodeProcess.start("a", a, List.of(), dir.resolve("a.log")).awaitHealthy(Duration.ofSeconds(60));
                    long atStart = chunks(victim);
                    CompletableFuture.runAsync(() -> pullQuietly(victim));
                    long target = atStart + 15L * trial;
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (chunks(victim) < target && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    long beforeKill = chunks(victim);
                    assertTrue(beforeKill >= target, "the kill comes during ingest: " + beforeKill + " chunks\n" + victim.tail());
                    victim.kill9();
                    lost += Math.max(0, beforeKill - storedChunks(dir.resolve("a")));
                    System.out.printf("kill -9 trial %d: %d chunks stored before the kill, %d on disk after%n",
                            trial, beforeKill, storedChunks(dir.resolve("a")));
                }
                assertEquals(0, lost, "chunks stored before a kill and gone after it");

                try (NodeProcess again = NodeProcess.start("a", a, List.of(), dir.resolve("a.log")).awaitHealthy(Duration.ofSeconds(60))) {
                    JsonNode done = again.pull("team/app", "v1", Duration.ofSeconds(180));
                    assertEquals("done", done.get("event").asText(), done.toString());
                    for (Digest blob : NodeProcess.blobs(done)) {
                        assertEquals(blob, again.mirrorDigest("team/app", blob), "the restarted node serves the blob byte-exact");
                    }
                    awaitMembers(peer, 2);
                    JsonNode fromPeer = peer.pull("team/app", "v1", Duration.ofSeconds(180));
                    assertEquals("done", fromPeer.get("event").asText(), fromPeer.toString());
                    long total = NodeProcess.totalBytes(fromPeer);
                    long viaPeer = fromPeer.get("bytes").get("peer").asLong();
                    assertTrue(viaPeer >= 0.99 * total, "the restarted node's holdings are advertised: " + fromPeer.get("bytes"));
                    again.kill9();
                }
                FsckResult fsck = fsck(dir.resolve("a"));
                assertEquals(0, fsck.corrupt(), "corrupt chunks after " + (TRIALS + 1) + " kills");
                System.out.printf("kill -9: %d trials during ingest + 1 after, %d chunks lost, %d of %d chunks corrupt (%d bytes checked)%n",
                        TRIALS, lost, fsck.corrupt(), fsck.chunks(), fsck.bytes());
            }
        }
    }

    private static void pullQuietly(NodeProcess node) {
        try {
            node.pull("team/app", "v1", Duration.ofSeconds(120));
        } catch (IOException | InterruptedException killed) {
            // the node is killed under this pull
        }
    }

    private static long chunks(NodeProcess node) throws IOException, InterruptedException {
        return node.status().get("store").get("chunks").asLong();
    }

    private static void awaitMembers(NodeProcess node, int count) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (node.members().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(count, node.members().size(), "members seen by " + node.name());
    }

    /** Chunks a store folder holds, opened offline as the node would at start. */
    private static long storedChunks(Path data) {
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(data.resolve("chunks"), StoreLimits.unlimited(), false))) {
            return store.stats().chunks();
        }
    }

    record FsckResult(long chunks, long bytes, long corrupt) {}

    /** Reads and verifies every chunk of a store folder. */
    private static FsckResult fsck(Path data) {
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(data.resolve("chunks"), StoreLimits.unlimited(), false))) {
            List<Digest> held = new ArrayList<>();
            store.forEachHeld(held::add);
            long bytes = 0;
            long corrupt = 0;
            for (Digest d : held) {
                try {
                    bytes += store.get(d).length;
                } catch (RuntimeException e) {
                    corrupt++;
                }
            }
            return new FsckResult(held.size(), bytes, corrupt);
        }
    }
}
