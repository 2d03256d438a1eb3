package dev.chunkmesh.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.demo.DemoMesh;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.store.ByteSize;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench pull}: skopeo copies an image of mixed content, side by side in one run, straight
 * from the origin (Debian's docker-registry), through docker-registry as a pull-through cache (cold, then
 * warm), and through a POP of two mesh nodes (cold, then warm from the peer), plus curl of a held layer
 * from the node's mirror and from docker-registry; then the same with a userspace link of 100 Mbit/s and
 * 20 ms in front of the origin only. Each figure is the median of {@code --rounds}. Every round copies a
 * new image ({@link BenchImage}) through fresh caches and a new POP, or with {@code --one-pop} through one
 * POP for all the rounds on a link, which is cold for each new image as a running fleet is for a new release.
 * {@code --warmup} uncounted mesh copies first warm the JIT compiler of the JVM the nodes share, and before
 * each round's mesh copies the bench waits until that JVM is nearly idle (a new POP's start-up done). On loopback,
 * each round also copies the image through a {@link FloorRelay} in front of the origin, once in each of its
 * modes (bytes passed through, a pull from a peer's least work, a first pull's): what any node could reach on
 * this machine, beside the goals.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "skopeo pulls: direct, docker-registry pull-through cache, mesh cold/warm; on loopback and behind a slow link.")
final class PullBench implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", description = "Bytes of files in each image before compression (default: ${DEFAULT-VALUE}).")
    ByteSize size = ByteSize.parse("240MiB");

    @Option(names = "--rounds", description = "Rounds per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", description = "Mesh copies on loopback before the counted rounds, to warm this JVM's JIT compiler "
            + "(default: ${DEFAULT-VALUE}; the nodes' times fell for about 4 rounds in a profile).")
    int warmup = 3;

    @Option(names = "--one-pop", description = "One POP of two nodes for all the rounds on one link (loopback, then the slow link), meeting a new "
            + "image each round as a running fleet meets a new release, instead of a new POP each round. Its stores grow round after round: "
            + "on a VM whose freed memory goes back to the host, their page cache then lands in memory the host must first back again "
            + "(BENCHMARKS.md).")
    boolean onePop;

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

    /** The mesh's figures of one round: seconds of the cold and warm copies, the bytes by source of each, local hit MB/s. */
    private record MeshRound(double cold, double warm, String coldSources, String warmSources, double hit) {}

    @Override
    public Integer call() throws Exception {
        if (!RegistryProcess.installed() || !Curl.installed() || !ServeBench.onPath("skopeo")) {
            System.err.println("bench pull needs Debian's docker-registry, skopeo and curl: apt-get install docker-registry skopeo curl");
            return 1;
        }
        if (rounds < 1 || warmup < 0) {
            System.err.println("bench pull: --rounds must be at least 1 and --warmup at least 0");
            return 2;
        }
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir);
        try (RegistryProcess origin = RegistryProcess.start(dir.resolve("origin"), Optional.empty())) {
            List<BenchImage> images = new ArrayList<>();
            for (int n = 0; n < warmup + rounds; n++) {
                System.err.printf(Locale.ROOT, "\rbench pull: writing and pushing image %d of %d", n + 1, warmup + rounds);
                images.add(BenchImage.push(dir, n, size.bytes(), origin.authority()));
            }
            long blobBytes = images.get(0).blobBytes();
            System.err.printf(Locale.ROOT, "%nbench pull: %d images of about %s in blobs each (gzip and uncompressed layers of text-like and random files), "
                    + "a new one each round, on %s%n", images.size(), ByteSize.human(blobBytes), onePop ? "one POP per link" : "a new POP each round");
            List<BenchImage> counted = images.subList(warmup, images.size());
            List<String> out = new ArrayList<>();
            Map<String, Double> loop = run(origin.url(), "loopback", out, images.subList(0, warmup), counted);
            Map<String, Double> slow = Map.of();
            if (!noSlowLink) {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", origin.url().getPort());
                try (WanProxy wan = new WanProxy(target, 12_500_000, Duration.ofMillis(20))) {
                    slow = run(wan.url(), "100 Mbit/s + 20 ms", out, List.of(), counted);
                }
            }
            System.out.printf(Locale.ROOT, "%nskopeo copy of a new image each round (about %s of blobs) into a dir: layout; median of %d rounds, everything on "
                    + "loopback; %s%n%n", ByteSize.human(blobBytes), rounds, onePop
                    ? "one POP of two nodes per link, after " + warmup + " warm-up images on loopback" : "a new POP of two nodes each round");
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

    /** A new POP of two nodes under {@code home}. */
    private DemoMesh startPop(URI origin, Path home) throws Exception {
        List<DemoMesh.Member> pop = List.of(new DemoMesh.Member("bench-a", "127.0.0.1", "pop-bench", Optional.empty()),
                new DemoMesh.Member("bench-b", "127.0.0.2", "pop-bench", Optional.empty()));
        NodeSettings settings = new NodeSettings().accessLog(false).fsync(fsync).setAll(nodeSettings);
        return DemoMesh.start(home.resolve("nodes"), origin, pop, settings);
    }

    /** {@link #meshRound} on {@code shared}, or on a new POP under {@code round} when there is none, stopped after. */
    private MeshRound meshRound(DemoMesh shared, URI origin, BenchImage image, Path round, boolean hit) throws Exception {
        if (shared != null) {
            return meshRound(shared, image, round, hit);
        }
        try (DemoMesh fresh = startPop(origin, round)) {
            return meshRound(fresh, image, round, hit);
        }
    }

    /**
     * The mesh copies of {@code image}: cold through node a, warm through node b, then (when {@code hit}) curl
     * of the image's uncompressed layer from node a, as a local hit.
     */
    private MeshRound meshRound(DemoMesh mesh, BenchImage image, Path round, boolean hit) throws Exception {
        MeshNode a = mesh.nodes().get(0);
        MeshNode b = mesh.nodes().get(1);
        double waited = settle();
        if (threads) {
            System.err.printf(Locale.ROOT, "    this JVM idle after %.1f s%n", waited);
        }
        Map<SourceKind, Long> a0 = pulled(a);
        Map<SourceKind, Long> b0 = pulled(b);
        double cold = timedCopy(URI.create(a.registryUrl()).getAuthority(), image, round.resolve("mesh-cold"));
        String coldSources = sources(a, a0);
        double warm = timedCopy(URI.create(b.registryUrl()).getAuthority(), image, round.resolve("mesh-warm"));
        String warmSources = sources(b, b0);
        double mbps = 0;
        if (hit) {
            String url = a.registryUrl() + image.plainLayerPath();
            Curl.megabytesPerSecond(url, image.plainBytes()); // warm-up, as in bench serve: JIT and page cache
            mbps = Curl.megabytesPerSecond(url, image.plainBytes());
        }
        return new MeshRound(cold, warm, coldSources, warmSources, mbps);
    }

    /** Every figure for one origin URL, each round on its image of {@code counted}; returns medians by name for the goals. */
    private Map<String, Double> run(URI origin, String label, List<String> out, List<BenchImage> warmups, List<BenchImage> counted) throws Exception {
        int n = counted.size();
        double[] direct = new double[n];
        double[] cacheCold = new double[n];
        double[] cacheWarm = new double[n];
        double[] meshCold = new double[n];
        double[] meshWarm = new double[n];
        double[] hitMesh = new double[n];
        double[] hitRegistry = new double[n];
        String coldSources = "";
        String warmSources = "";
        boolean loopback = label.equals("loopback");
        String key = loopback ? "loopback" : "slow";
        FloorRounds floor = loopback ? new FloorRounds(origin, dir.resolve("floor"), n, this::timedCopy) : null;
        DemoMesh shared = null;
        try (floor) {
            shared = onePop ? startPop(origin, dir.resolve("pop-" + key)) : null;
            for (int w = 0; w < warmups.size(); w++) {
                Path round = Files.createDirectories(dir.resolve("warmup-" + (w + 1)));
                MeshRound m = meshRound(shared, origin, warmups.get(w), round, false);
                if (floor != null) {
                    floor.warmUp(warmups.get(w), round);
                }
                FileTrees.deleteRecursively(round);
                System.err.printf(Locale.ROOT, "  warm-up %d of %d (not counted; this JVM's JIT compiler: nodes run for days): mesh cold %.2f / warm %.2f s%n",
                        w + 1, warmups.size(), m.cold(), m.warm());
            }
            for (int r = 0; r < n; r++) {
                BenchImage image = counted.get(r);
                Path round = Files.createDirectories(dir.resolve("round-" + key + "-" + (r + 1)));
                settle();
                direct[r] = timedCopy(origin.getAuthority(), image, round.resolve("direct"));
                String floorLine = floor == null ? "" : floor.round(r, image, round);
                try (RegistryProcess cache = RegistryProcess.start(round.resolve("cache"), Optional.of(origin))) {
                    cacheCold[r] = timedCopy(cache.authority(), image, round.resolve("cache-cold"));
                    cacheWarm[r] = timedCopy(cache.authority(), image, round.resolve("cache-warm"));
                }
                MeshRound m = meshRound(shared, origin, image, round, loopback);
                meshCold[r] = m.cold();
                meshWarm[r] = m.warm();
                coldSources = m.coldSources();
                warmSources = m.warmSources();
                if (loopback) {
                    hitMesh[r] = m.hit();
                    hitRegistry[r] = Curl.megabytesPerSecond(origin + image.plainLayerPath(), image.plainBytes());
                }
                FileTrees.deleteRecursively(round);
                System.err.printf(Locale.ROOT, "  %s round %d: direct %.2f s, cache cold %.2f / warm %.2f s, mesh cold %.2f / warm %.2f s%s%n",
                        label, r + 1, direct[r], cacheCold[r], cacheWarm[r], meshCold[r], meshWarm[r], floorLine);
            }
        } finally {
            if (shared != null) {
                shared.close();
                FileTrees.deleteRecursively(dir.resolve("pop-" + key));
            }
        }
        double d = Stopwatch.median(direct);
        Map<String, Double> medians = new LinkedHashMap<>();
        medians.put("direct", d);
        medians.put("cache-cold", Stopwatch.median(cacheCold));
        medians.put("cache-warm", Stopwatch.median(cacheWarm));
        medians.put("mesh-cold", Stopwatch.median(meshCold));
        medians.put("mesh-warm", Stopwatch.median(meshWarm));
        out.add(row(label, "direct from the origin", direct, d, "-"));
        out.add(row(label, "docker-registry pull-through cache, cold", cacheCold, d, "-"));
        out.add(row(label, "docker-registry pull-through cache, warm", cacheWarm, d, "-"));
        out.add(row(label, "mesh node, cold POP", meshCold, d, coldSources));
        out.add(row(label, "mesh node, its POP peer holds the image", meshWarm, d, warmSources));
        if (loopback) {
            medians.put("hit-mesh", Stopwatch.median(hitMesh));
            medians.put("hit-registry", Stopwatch.median(hitRegistry));
            out.add(String.format(Locale.ROOT, "| %s | curl of a held %s layer: docker-registry / mesh node (local hit) | %.0f / %.0f MB/s | %s / %s | %.2f | - |",
                    label, ByteSize.human(counted.get(0).plainBytes()), medians.get("hit-registry"), medians.get("hit-mesh"), list(hitRegistry, "%.0f"),
                    list(hitMesh, "%.0f"), medians.get("hit-mesh") / medians.get("hit-registry")));
            floor.rows(label, d, out, medians);
        }
        return medians;
    }

    /** A row of the table: seconds by round, their median, and it over {@code direct}. */
    static String row(String label, String what, double[] values, double direct, String sources) {
        double m = Stopwatch.median(values);
        return String.format(Locale.ROOT, "| %s | %s | %.2f s | %s | %.2f | %s |", label, what, m, list(values, "%.2f"), m / direct, sources);
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
        FloorRounds.goals(loop);
    }

    private static void goal(String what, double value, double bound, boolean atMost) {
        boolean met = atMost ? value <= bound : value >= bound;
        System.out.printf(Locale.ROOT, "  %-66s %6.2f  %s%n", what, value, met ? "met" : "NOT met");
    }

    private static Map<SourceKind, Long> pulled(MeshNode n) {
        Map<SourceKind, Long> out = new EnumMap<>(SourceKind.class);
        for (SourceKind k : SourceKind.values()) {
            out.put(k, n.metrics().pulledBytes(k));
        }
        return out;
    }

    /** The bytes {@code n} pulled by source since {@code before}. */
    private static String sources(MeshNode n, Map<SourceKind, Long> before) {
        List<String> parts = new ArrayList<>();
        for (SourceKind k : SourceKind.values()) {
            long v = n.metrics().pulledBytes(k) - before.get(k);
            if (v > 0) {
                parts.add(NodeMetrics.sourceName(k) + " " + ByteSize.human(v));
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private double timedCopy(String authority, BenchImage image, Path into) throws Exception {
        long cpu0 = processCpuNanos();
        Map<String, Long> byGroup0 = threads ? ThreadCpu.byGroup() : Map.of();
        long t0 = System.nanoTime();
        BenchImage.skopeo("docker://" + authority + "/" + image.reference(), "dir:" + into);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "    %s: %.2f s, this JVM's CPU (the nodes, when they served it) %.2f s%n", authority, seconds,
                (processCpuNanos() - cpu0) / 1e9);
        if (threads) {
            System.err.println("      " + ThreadCpu.since(byGroup0));
        }
        return seconds;
    }

    /**
     * Waits, up to 10 s, until this JVM is nearly idle (under 10 % of a core for 200 ms): a new POP's start-up
     * work, and the JIT compiling it, are done before the clock starts, as on nodes that run for days.
     * Returns the seconds waited.
     */
    private static double settle() throws InterruptedException {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        while (System.nanoTime() - start < 10_000_000_000L) {
            Thread.sleep(200);
            long now = processCpuNanos();
            if (now - cpu < 20_000_000L) {
                break;
            }
            cpu = now;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
