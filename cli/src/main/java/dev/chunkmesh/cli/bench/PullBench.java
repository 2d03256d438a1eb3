package dev.chunkmesh.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.demo.DemoLayers;
import dev.chunkmesh.cli.demo.DemoMesh;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.oci.OciLayout;
import dev.chunkmesh.store.ByteSize;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench pull}: skopeo copies one image of mixed content, side by side in one run, straight
 * from the origin (Debian's docker-registry), through docker-registry as a pull-through cache (cold, then
 * warm), and through a POP of two mesh nodes (cold, then warm from the peer), plus curl of a held layer
 * from the node's mirror and from docker-registry; then the same with a userspace link of 100 Mbit/s and
 * 20 ms in front of the origin only. Each figure is the median of {@code --rounds}, every round on fresh
 * caches and fresh nodes, after {@code --warmup} uncounted mesh copies that warm the JIT compiler of the
 * JVM the nodes share.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "skopeo pulls: direct, docker-registry pull-through cache, mesh cold/warm; on loopback and behind a slow link.")
final class PullBench implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", description = "Bytes of files in the image before compression (default: ${DEFAULT-VALUE}).")
    ByteSize size = ByteSize.parse("240MiB");

    @Option(names = "--rounds", description = "Rounds per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Mesh copies on loopback before the counted rounds, to warm this JVM's JIT compiler "
            + "(default: ${DEFAULT-VALUE}; the nodes' times fell for about 4 rounds in a profile).")
    int warmup = 3;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data", "bench-pull");

    @Option(names = "--no-slow-link", description = "Skip the runs behind the 100 Mbit/s + 20 ms link.")
    boolean noSlowLink;

    @Option(names = "--fsync", arity = "1", description = "The nodes' store.fsync (default: ${DEFAULT-VALUE}, the nodes' default).")
    boolean fsync = true;

    @Option(names = "--node-setting", paramLabel = "KEY=VALUE", description = "A node setting for both nodes (repeatable), e.g. pull.peer-window=8.")
    Map<String, String> nodeSettings = new LinkedHashMap<>();

    @Option(names = "--threads", description = "After each copy, print this JVM's CPU time by thread group (where the nodes spend it).")
    boolean threads;

    private static final String IMAGE = "bench/app:v1";

    /** One figure: seconds per round (or MB/s for the curl rows). */
    private record Row(String what, double[] values, String sources) {}

    @Override
    public Integer call() throws Exception {
        if (!RegistryProcess.installed() || !Curl.installed() || !ServeBench.onPath("skopeo")) {
            System.err.println("bench pull needs Debian's docker-registry, skopeo and curl: apt-get install docker-registry skopeo curl");
            return 1;
        }
        FileTrees.deleteRecursively(dir);
        Path layout = dir.resolve("image");
        String[] layerDigest = new String[1];
        long imageBytes = writeImage(layout, size.bytes(), layerDigest);
        System.err.printf(Locale.ROOT, "bench pull: image of %s in blobs (gzip and uncompressed layers of text-like and random files)%n",
                ByteSize.human(imageBytes));
        try (RegistryProcess origin = RegistryProcess.start(dir.resolve("origin"), Optional.empty())) {
            skopeo("oci:" + layout + ":v1", "docker://" + origin.authority() + "/" + IMAGE, "--preserve-digests");
            List<String> out = new ArrayList<>();
            Map<String, Double> loop = run(origin.url(), "loopback", out, layerDigest[0]);
            Map<String, Double> slow = Map.of();
            if (!noSlowLink) {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", origin.url().getPort());
                try (WanProxy wan = new WanProxy(target, 12_500_000, Duration.ofMillis(20))) {
                    slow = run(wan.url(), "100 Mbit/s + 20 ms", out, layerDigest[0]);
                }
            }
            System.out.printf(Locale.ROOT, "%nskopeo copy of %s (%s of blobs) into a dir: layout; median of %d rounds, everything on loopback%n%n",
                    IMAGE, ByteSize.human(imageBytes), rounds);
            System.out.println("| origin | copy | median | rounds | / direct | node's bytes by source |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            out.forEach(System.out::println);
            System.out.println();
            goals(loop, slow);
        } finally {
            FileTrees.deleteRecursively(dir);
        }
        return 0;
    }

    /** A fresh POP of two nodes in {@code round}. */
    private DemoMesh startPop(URI origin, Path round) throws Exception {
        List<DemoMesh.Member> pop = List.of(new DemoMesh.Member("bench-a", "127.0.0.1", "pop-bench", Optional.empty()),
                new DemoMesh.Member("bench-b", "127.0.0.2", "pop-bench", Optional.empty()));
        NodeSettings settings = new NodeSettings().accessLog(false).fsync(fsync).setAll(nodeSettings);
        return DemoMesh.start(round.resolve("nodes"), origin, pop, settings);
    }

    /** A cold and a warm mesh copy on a fresh POP, in seconds. */
    private double[] meshCopies(URI origin, Path round) throws Exception {
        try (DemoMesh mesh = startPop(origin, round)) {
            return new double[] {timedCopy(URI.create(mesh.nodes().get(0).registryUrl()).getAuthority(), round.resolve("mesh-cold")),
                    timedCopy(URI.create(mesh.nodes().get(1).registryUrl()).getAuthority(), round.resolve("mesh-warm"))};
        }
    }

    /** Every figure for one origin URL; returns medians by name for the goals. */
    private Map<String, Double> run(URI origin, String label, List<String> out, String layer) throws Exception {
        int n = rounds;
        double[] direct = new double[n];
        double[] cacheCold = new double[n];
        double[] cacheWarm = new double[n];
        double[] meshCold = new double[n];
        double[] meshWarm = new double[n];
        double[] hitMesh = new double[n];
        double[] hitRegistry = new double[n];
        String coldSources = "";
        String warmSources = "";
        long layerSize = Files.size(dir.resolve("image/blobs/sha256").resolve(layer.substring("sha256:".length())));
        if (label.equals("loopback")) {
            for (int w = 1; w <= warmup; w++) {
                Path round = Files.createDirectories(dir.resolve("warmup-" + w));
                double[] times = meshCopies(origin, round);
                FileTrees.deleteRecursively(round);
                System.err.printf(Locale.ROOT, "  warm-up %d of %d (not counted; this JVM's JIT compiler: nodes run for days): mesh cold %.2f / warm %.2f s%n",
                        w, warmup, times[0], times[1]);
            }
        }
        for (int r = 0; r < n; r++) {
            int k = r;
            Path round = Files.createDirectories(dir.resolve("round-" + (label.equals("loopback") ? "loopback" : "slow") + "-" + (r + 1)));
            direct[k] = timedCopy(origin.getAuthority(), round.resolve("direct"));
            try (RegistryProcess cache = RegistryProcess.start(round.resolve("cache"), Optional.of(origin))) {
                cacheCold[k] = timedCopy(cache.authority(), round.resolve("cache-cold"));
                cacheWarm[k] = timedCopy(cache.authority(), round.resolve("cache-warm"));
            }
            try (DemoMesh mesh = startPop(origin, round)) {
                MeshNode a = mesh.nodes().get(0);
                MeshNode b = mesh.nodes().get(1);
                meshCold[k] = timedCopy(URI.create(a.registryUrl()).getAuthority(), round.resolve("mesh-cold"));
                meshWarm[k] = timedCopy(URI.create(b.registryUrl()).getAuthority(), round.resolve("mesh-warm"));
                coldSources = sources(a);
                warmSources = sources(b);
                if (label.equals("loopback")) {
                    String path = "/v2/bench/app/blobs/" + layer;
                    Curl.megabytesPerSecond(a.registryUrl() + path, layerSize); // warm-up, as in bench serve: JIT and page cache
                    hitMesh[k] = Curl.megabytesPerSecond(a.registryUrl() + path, layerSize);
                    hitRegistry[k] = Curl.megabytesPerSecond(origin + path, layerSize);
                }
            }
            FileTrees.deleteRecursively(round);
            System.err.printf(Locale.ROOT, "  %s round %d: direct %.2f s, cache cold %.2f / warm %.2f s, mesh cold %.2f / warm %.2f s%n",
                    label, r + 1, direct[k], cacheCold[k], cacheWarm[k], meshCold[k], meshWarm[k]);
        }
        double d = Stopwatch.median(direct);
        Map<String, Double> medians = new LinkedHashMap<>();
        medians.put("direct", d);
        medians.put("cache-cold", Stopwatch.median(cacheCold));
        medians.put("cache-warm", Stopwatch.median(cacheWarm));
        medians.put("mesh-cold", Stopwatch.median(meshCold));
        medians.put("mesh-warm", Stopwatch.median(meshWarm));
        out.add(row(label, new Row("direct from the origin", direct, "-"), d));
        out.add(row(label, new Row("docker-registry pull-through cache, cold", cacheCold, "-"), d));
        out.add(row(label, new Row("docker-registry pull-through cache, warm", cacheWarm, "-"), d));
        out.add(row(label, new Row("mesh node, cold POP", meshCold, coldSources), d));
        out.add(row(label, new Row("mesh node, its POP peer holds the image", meshWarm, warmSources), d));
        if (label.equals("loopback")) {
            medians.put("hit-mesh", Stopwatch.median(hitMesh));
            medians.put("hit-registry", Stopwatch.median(hitRegistry));
            out.add(String.format(Locale.ROOT, "| %s | curl of a held %s layer: docker-registry / mesh node (local hit) | %.0f / %.0f MB/s | %s / %s | %.2f | - |",
                    label, ByteSize.human(layerSize), medians.get("hit-registry"), medians.get("hit-mesh"), list(hitRegistry, "%.0f"),
                    list(hitMesh, "%.0f"), medians.get("hit-mesh") / medians.get("hit-registry")));
        }
        return medians;
    }

    private static String row(String label, Row r, double direct) {
        double m = Stopwatch.median(r.values());
        return String.format(Locale.ROOT, "| %s | %s | %.2f s | %s | %.2f | %s |", label, r.what(), m, list(r.values(), "%.2f"), m / direct,
                r.sources());
    }

    private static String list(double[] v, String format) {
        List<String> parts = new ArrayList<>();
        for (double x : v) {
            parts.add(String.format(Locale.ROOT, format, x));
        }
        return String.join(", ", parts);
    }

    private void goals(Map<String, Double> loop, Map<String, Double> slow) {
        System.out.println("Pull-speed goals (the mesh against direct pulls, the cache and the plain registry), this run:");
        goal("mesh cold <= 1.15x direct", loop.get("mesh-cold") / loop.get("direct"), 1.15, true);
        goal("mesh warm from a peer <= 1.1x the cache's warm pull", loop.get("mesh-warm") / loop.get("cache-warm"), 1.1, true);
        goal("local hit >= 0.9x docker-registry's MB/s", loop.get("hit-mesh") / loop.get("hit-registry"), 0.9, false);
        if (!slow.isEmpty()) {
            goal("behind the slow link, warm from a peer >= 10x faster than direct", slow.get("direct") / slow.get("mesh-warm"), 10, false);
        }
    }

    private static void goal(String what, double value, double bound, boolean atMost) {
        boolean met = atMost ? value <= bound : value >= bound;
        System.out.printf(Locale.ROOT, "  %-66s %6.2f  %s%n", what, value, met ? "met" : "NOT met");
    }

    private static String sources(MeshNode n) {
        List<String> parts = new ArrayList<>();
        for (SourceKind k : SourceKind.values()) {
            long v = n.metrics().pulledBytes(k);
            if (v > 0) {
                parts.add(NodeMetrics.sourceName(k) + " " + ByteSize.human(v));
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private double timedCopy(String authority, Path into) throws Exception {
        long cpu0 = processCpuNanos();
        Map<String, Long> byGroup0 = threads ? ThreadCpu.byGroup() : Map.of();
        long t0 = System.nanoTime();
        skopeo("docker://" + authority + "/" + IMAGE, "dir:" + into);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "    %s: %.2f s, this JVM's CPU (the nodes, when they served it) %.2f s%n", authority, seconds,
                (processCpuNanos() - cpu0) / 1e9);
        if (threads) {
            System.err.println("      " + ThreadCpu.since(byGroup0));
        }
        return seconds;
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void skopeo(String from, String to, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false"));
        command.addAll(List.of(flags));
        command.addAll(List.of(from, to));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("skopeo copy " + from + " " + to + " failed: " + out);
        }
    }

    /**
     * An OCI layout tagged {@code v1} of two layers of generated files (4 KiB to 2 MiB, two in three
     * text-like, the rest random): a gzip layer of a third of {@code budget}, an uncompressed one of the
     * rest. Returns the blob bytes; {@code largest} gets the uncompressed layer's digest.
     */
    static long writeImage(Path dir, long budget, String[] largest) throws IOException {
        OciLayout layout = new OciLayout(dir);
        OciLayout.Layer gzip = layout.layer(files(11, budget / 3), OciLayout.Compression.GZIP);
        OciLayout.Layer plain = layout.layer(files(12, budget - budget / 3), OciLayout.Compression.NONE);
        OciLayout.Blob manifest = layout.manifest(List.of(gzip, plain), "linux", "amd64");
        layout.tag("v1", manifest);
        largest[0] = plain.blob().digest().toString();
        return gzip.blob().size() + plain.blob().size() + manifest.size();
    }

    private static List<OciLayout.File> files(long seed, long budget) {
        SplittableRandom r = new SplittableRandom(seed);
        List<OciLayout.File> out = new ArrayList<>();
        for (long total = 0; total < budget; ) {
            int length = (int) Math.min(budget - total, 4096 + r.nextInt(2 << 20));
            out.add(new OciLayout.File("opt/bench/f" + seed + "-" + out.size(), DemoLayers.content(r.nextLong(), length, r.nextInt(3) > 0)));
            total += length;
        }
        return out;
    }
}
