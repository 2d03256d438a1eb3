package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet as one mesh, with node processes ({@code mesh node run}) in three POPs and three Hazelcast
 * clusters: a regional POP of one node in front of Debian's docker-registry, two edge POPs under it
 * with no origin of their own. Every edge node pulls the image; each pull is byte-exact and the
 * origin's access log shows each blob byte once for the whole fleet.
 */
class TieredProcessesTest {
    private static final String TIER_SECRET = "process-tier-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void threePopsInTwoTiersTakeEachByteOnceFromTheOrigin() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(61, 12, 800_000), OciImages.Compression.NONE),
                    oci.layer(OciImages.files(62, 8, 600_000), OciImages.Compression.GZIP)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            NodeSettings r = new ProcessCluster(dir.resolve("region"), Optional.of(registry.url()), "region",
                    List.of("127.0.0.61"), 0).node("r", "127.0.0.61").lowerSecret(TIER_SECRET);
            String upper = "127.0.0.61:" + r.flags().get("network.peer-port");
            ProcessCluster edge1 = new ProcessCluster(dir.resolve("edge-1"), Optional.empty(), "edge-1", List.of("127.0.0.62", "127.0.0.63"), 0);
            ProcessCluster edge2 = new ProcessCluster(dir.resolve("edge-2"), Optional.empty(), "edge-2", List.of("127.0.0.64"), 0);
            List<NodeSettings> edges = List.of(edge1.node("e1", "127.0.0.62"), edge1.node("e2", "127.0.0.63"),
                    edge2.node("e3", "127.0.0.64"));
            List<NodeProcess> started = new ArrayList<>();
            try {
                started.add(NodeProcess.start("r", r, List.of(), dir.resolve("r.log")));
                for (int i = 0; i < edges.size(); i++) {
                    NodeSettings e = edges.get(i).copy().upperTier(upper).upperSecret(TIER_SECRET);
                    started.add(NodeProcess.start("e" + (i + 1), e, List.of(), dir.resolve("e" + (i + 1) + ".log")));
                }
                for (NodeProcess n : started) {
                    n.awaitHealthy(Duration.ofSeconds(60));
                }
                List<CompletableFuture<JsonNode>> pulls = new ArrayList<>();
                for (NodeProcess n : started.subList(1, started.size())) {
                    pulls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return n.pull("team/app", "v1", Duration.ofSeconds(120));
                        } catch (Exception e) {
                            throw new IllegalStateException(n.name() + ": " + e.getMessage() + "\n" + n.tail(), e);
                        }
                    }));
                }
                long origin = 0;
                long size = 0;
                List<Digest> blobs = List.of();
                for (int i = 0; i < pulls.size(); i++) {
                    JsonNode done = pulls.get(i).join();
                    NodeProcess n = started.get(i + 1);
                    assertEquals("done", done.get("event").asText(), done + "\n" + n.tail());
                    assertEquals(0, done.get("bytes").path("origin").asLong(), n.name() + " never went to the origin: " + done.get("bytes"));
                    blobs = NodeProcess.blobs(done);
                    size = NodeProcess.totalBytes(done);
                    for (Digest blob : blobs) {
                        assertEquals(blob, n.mirrorDigest("team/app", blob), n.name() + " serves " + blob + " byte-exact");
                    }
                }
                for (Digest blob : blobs) {
                    origin += registry.bytesSent("/blobs/" + blob);
                }
                System.out.printf("three POPs in two tiers: the origin sent %,d bytes of blobs for an image of %,d%n", origin, size);
                assertEquals(size, origin, "the origin's access log: each blob byte once for the whole fleet");
            } finally {
                for (NodeProcess n : started) {
                    n.close();
                }
            }
        }
    }
}
