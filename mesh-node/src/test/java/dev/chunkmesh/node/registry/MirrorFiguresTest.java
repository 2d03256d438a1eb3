package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures for BENCHMARKS.md, side by side in one run, with Debian's skopeo as the client: a
 * direct copy from the origin, the same through a node's mirror on a cold POP, and through a second
 * node once the first holds the image; with the origin on loopback and behind a 100 Mbit/s link with
 * 20 ms added. Byte sources are asserted; times are printed.
 */
class MirrorFiguresTest {

    @TempDir
    Path dir;

    @Test
    void skopeoDirectColdAndWarmThroughTheMirror() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(71, 40, 1_000_000), OciImages.Compression.GZIP),
                    oci.layer(OciImages.files(72, 40, 1_000_000), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("v1", registry, "fig/app");
            List<String> rows = new ArrayList<>();
            rows.addAll(run(registry.url(), "loopback", true));
            rows.addAll(run(registry.url(), "loopback, store.fsync off", false));
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", registry.url().getPort());
            try (WanProxy wan = new WanProxy(target, 12_500_000, Duration.ofMillis(20))) {
                rows.addAll(run(wan.url(), "100 Mbit/s + 20 ms", true));
            }
            System.out.println("\n| origin | copy | seconds | / direct | node's bytes by source |\n| --- | --- | --- | --- | --- |");
            rows.forEach(System.out::println);
            System.out.println();
        }
    }

    private List<String> run(URI origin, String label, boolean fsync) throws Exception {
        Path out = java.nio.file.Files.createDirectories(dir.resolve("copies-" + System.nanoTime()));
        long t0 = System.nanoTime();
        skopeo("docker://" + origin.getAuthority() + "/fig/app:v1", out.resolve("direct"));
        double direct = (System.nanoTime() - t0) / 1e9;
        List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"));
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "| %s | direct from the origin | %.2f | 1.00 | - |", label, direct));
        try (TestPop pop = new TestPop(dir.resolve("nodes-" + System.nanoTime()), Optional.of(origin), specs)) {
            MeshNode a = pop.start(specs.get(0), new NodeSettings().fsync(fsync));
            MeshNode b = pop.start(specs.get(1), new NodeSettings().fsync(fsync));
            pop.awaitMembers(2);
            double cold = timed(a, out.resolve("cold"));
            rows.add(row(label, "through node a, cold POP", cold, direct, a));
            double warm = timed(b, out.resolve("warm"));
            rows.add(row(label, "through node b, a holds it", warm, direct, b));
            long bTotal = 0;
            for (SourceKind k : SourceKind.values()) {
                bTotal += b.metrics().pulledBytes(k);
            }
            assertTrue(b.metrics().pulledBytes(SourceKind.SAME_POP) >= 0.99 * bTotal, "b's bytes came from a");
            assertEquals(0, b.metrics().pulledBytes(SourceKind.ORIGIN));
        }
        return rows;
    }

    private static double timed(MeshNode n, Path into) throws Exception {
        long t0 = System.nanoTime();
        skopeo("docker://" + URI.create(n.registryUrl()).getAuthority() + "/fig/app:v1", into);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String row(String label, String what, double seconds, double direct, MeshNode n) {
        StringBuilder s = new StringBuilder();
        for (SourceKind k : SourceKind.values()) {
            long v = n.metrics().pulledBytes(k);
            if (v > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(dev.chunkmesh.node.metrics.NodeMetrics.sourceName(k)).append(" ")
                        .append(String.format(Locale.ROOT, "%.1f MiB", v / 1048576.0));
            }
        }
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s |", label, what, seconds, seconds / direct, s);
    }

    private static void skopeo(String from, Path into) throws Exception {
        Process p = new ProcessBuilder("skopeo", "copy", "--src-tls-verify=false", from, "dir:" + into).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "skopeo copy " + from + " failed: " + out);
    }
}
