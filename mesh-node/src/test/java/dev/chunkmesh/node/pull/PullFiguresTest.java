package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures for BENCHMARKS.md, measured side by side in one run: a direct pull of an image from the
 * origin (each blob streamed to a file, hashed and fsynced, all blobs in parallel, as a runtime
 * would) beside a cold mesh pull, two warm ones, and three nodes pulling another image cold at once.
 * It asserts the byte sources; the times are printed, not asserted.
 */
class PullFiguresTest {

    @TempDir
    Path dir;

    @Test
    void bytesBySourceAndTimesBesideADirectOriginPull() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            push(registry);
            scenario(registry, registry.url(), "origin on loopback");
            java.net.InetSocketAddress target = new java.net.InetSocketAddress("127.0.0.1", registry.url().getPort());
            try (dev.chunkmesh.node.WanProxy wan = new dev.chunkmesh.node.WanProxy(target, 20_000_000, java.time.Duration.ZERO)) {
                scenario(registry, wan.url(), "origin behind a 20 MB/s link");
            }
        }
    }

    private void push(RegistryHarness registry) throws Exception {
        {
            OciImages oci = new OciImages(dir.resolve("oci"));
            List<OciImages.Layer> layers = List.of(oci.layer(OciImages.files(31, 40, 1_000_000), OciImages.Compression.GZIP),
                    oci.layer(OciImages.files(32, 40, 1_000_000), OciImages.Compression.NONE));
            oci.tag("v1", oci.manifest(layers, "linux", "amd64"));
            oci.push("v1", registry, "fig/app");
            OciImages other = new OciImages(dir.resolve("oci2"));
            other.tag("v1", other.manifest(List.of(other.layer(OciImages.files(33, 24, 1_000_000), OciImages.Compression.NONE)),
                    "linux", "amd64"));
            other.push("v1", registry, "fig/tools");
        }
    }

    private void scenario(RegistryHarness registry, java.net.URI origin, String label) throws Exception {
        {
            List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"),
                    Spec.pop("c", "127.0.0.3", "pop1"));
            try (TestPop pop = new TestPop(dir.resolve("nodes-" + System.nanoTime()), Optional.of(origin), specs)) {
                MeshNode a = pop.start(specs.get(0));
                MeshNode b = pop.start(specs.get(1));
                MeshNode c = pop.start(specs.get(2));
                pop.awaitMembers(3);
                List<BlobRequest> app = ImageBlobs.of(a.upstreams().defaultOrigin(), "fig/app", "v1");
                List<BlobRequest> tools = ImageBlobs.of(a.upstreams().defaultOrigin(), "fig/tools", "v1");
                long appBytes = app.stream().mapToLong(BlobRequest::size).sum();

                double direct = directPull(origin, app);
                List<String> rows = new ArrayList<>();
                rows.add(String.format(Locale.ROOT, "| direct from origin (no mesh) | %.1f MiB | %.2f | 1.00 | origin 100 %% |", appBytes / 1048576.0, direct));
                BatchPull.Result cold = ThreeNodePopTest.pull(a, app);
                rows.add(row("a, cold", cold, direct));
                BatchPull.Result warmB = ThreeNodePopTest.pull(b, app);
                rows.add(row("b, after a", warmB, direct));
                BatchPull.Result warmC = ThreeNodePopTest.pull(c, app);
                rows.add(row("c, after a and b", warmC, direct));
                assertEquals(appBytes, cold.bytesBySource().get(SourceKind.ORIGIN));
                assertTrue(warmB.bytesBySource().get(SourceKind.SAME_POP) >= 0.99 * appBytes);
                assertTrue(warmC.bytesBySource().get(SourceKind.SAME_POP) >= 0.99 * appBytes);

                long toolsBytes = tools.stream().mapToLong(BlobRequest::size).sum();
                double directTools = directPull(origin, tools);
                long before = registry.bytesSent("/blobs/");
                List<CompletableFuture<BatchPull.Result>> all = new ArrayList<>();
                for (MeshNode n : List.of(a, b, c)) {
                    all.add(new BatchPull(n.pulls(), tools).result());
                }
                String[] names = {"a", "b", "c"};
                for (int i = 0; i < 3; i++) {
                    rows.add(row(names[i] + ", second image, all three at once", all.get(i).get(120, TimeUnit.SECONDS), directTools));
                }
                long originSent = registry.bytesSent("/blobs/") - before;
                assertEquals(toolsBytes, originSent, "three concurrent cold pulls: the origin sent each byte once");
                System.out.println("\n" + label + ":\n\n| pull | size | seconds | / direct | bytes by source |\n| --- | --- | --- | --- | --- |");
                rows.forEach(System.out::println);
                System.out.printf(Locale.ROOT, "origin bytes for the three concurrent pulls: %d of a %d-byte image (%.2fx)%n%n",
                        originSent, toolsBytes, (double) originSent / toolsBytes);
            }
        }
    }

    private static String row(String what, BatchPull.Result r, double direct) {
        long total = r.bytesBySource().values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sources = new StringBuilder();
        for (Map.Entry<SourceKind, Long> e : r.bytesBySource().entrySet()) {
            if (e.getValue() > 0) {
                sources.append(sources.length() == 0 ? "" : ", ").append(NodeMetrics.sourceName(e.getKey()))
                        .append(String.format(Locale.ROOT, " %.1f %%", 100.0 * e.getValue() / total));
            }
        }
        return String.format(Locale.ROOT, "| %s | %.1f MiB | %.2f | %.2f | %s |", what, total / 1048576.0, r.seconds(), r.seconds() / direct, sources);
    }

    /** Every blob streamed from the origin into its own file in parallel, hashed and fsynced; wall seconds. */
    private double directPull(java.net.URI origin, List<BlobRequest> blobs) throws Exception {
        RegistryClient client = RegistryClient.of(origin, Optional.empty());
        Path out = Files.createDirectories(dir.resolve("direct-" + System.nanoTime()));
        long start = System.nanoTime();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (BlobRequest b : blobs) {
            fs.add(CompletableFuture.runAsync(() -> {
                try (InputStream in = client.blob(b.repository(), b.blob());
                     FileChannel ch = FileChannel.open(out.resolve(b.blob().hex()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    try (OutputStream os = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(ch), sha)) {
                        in.transferTo(os);
                        ch.force(true);
                    }
                    assertEquals(b.blob(), Digest.ofBytes(sha.digest()));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }
}
