package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.demo.DemoImage;
import dev.chunkmesh.cli.demo.LayoutRegistry;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.RegistryOrigin;
import dev.chunkmesh.node.pull.BatchPull;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.Digest;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench load}: many local clients pulling blobs through one node's registry mirror at
 * once, as a host full of containers starting would. Every blob read is checked against its digest.
 * Prints errors, latency percentiles, throughput and the process's peak RSS (node and clients share
 * the JVM, so the RSS is an upper bound for the node).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Concurrent blob pulls through one node's mirror (built-in origin, image of real files): errors, latency, RSS.")
final class LoadBench implements Callable<Integer> {

    @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients = 200;

    @Option(names = "--image-size", paramLabel = "SIZE", description = "Budget of real files in the image (default: ${DEFAULT-VALUE}).")
    ByteSize imageSize = ByteSize.parse("32MiB");

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data", "bench-load");

    @Override
    public Integer call() throws Exception {
        FileTrees.deleteRecursively(dir);
        DemoImage.write(dir.resolve("image"), imageSize.bytes());
        try (LayoutRegistry origin = new LayoutRegistry(dir.resolve("image"), "demo/app")) {
            NodeSettings settings = new NodeSettings().name("bench").peerPort(0).adminPort(0).registryPort(0)
                    .hazelcastPort(LocalMesh.freePort("127.0.0.1")).data(dir.resolve("node")).origin(origin.url());
            try (MeshNode node = MeshNode.start(settings.load())) {
                URI mirror = URI.create(node.registryUrl());
                List<BlobRequest> blobs = ImageBlobs.of(new RegistryOrigin(RegistryClient.of(mirror, Optional.empty()), Bandwidth.unlimited()),
                        "demo/app", "demo");
                long coldStart = System.nanoTime();
                new BatchPull(node.pulls(), ImageBlobs.of(node.upstreams().defaultOrigin(), "demo/app", "demo")).result().get(10, TimeUnit.MINUTES);
                double cold = (System.nanoTime() - coldStart) / 1e9;
                AtomicLong peakRss = new AtomicLong(rssKiB());
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Double>> pulls = new ArrayList<>();
                AtomicLong bytes = new AtomicLong();
                for (int c = 0; c < clients; c++) {
                    BlobRequest b = blobs.get(c % blobs.size());
                    pulls.add(pool.submit(() -> {
                        go.await();
                        long t0 = System.nanoTime();
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        byte[] buf = new byte[128 * 1024];
                        try (InputStream in = RegistryClient.of(mirror, Optional.empty()).blob("demo/app", b.blob())) {
                            for (int n; (n = in.read(buf)) >= 0; ) {
                                sha.update(buf, 0, n);
                                bytes.addAndGet(n);
                            }
                        }
                        if (!Digest.ofBytes(sha.digest()).equals(b.blob())) {
                            throw new IllegalStateException("blob " + b.blob() + " came out wrong");
                        }
                        return (System.nanoTime() - t0) / 1e9;
                    }));
                }
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peakRss.accumulateAndGet(rssKiB(), Math::max);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                long start = System.nanoTime();
                go.countDown();
                List<Double> times = new ArrayList<>();
                int errors = 0;
                for (Future<Double> f : pulls) {
                    try {
                        times.add(f.get(10, TimeUnit.MINUTES));
                    } catch (Exception e) {
                        errors++;
                    }
                }
                double wall = (System.nanoTime() - start) / 1e9;
                sampler.interrupt();
                pool.shutdownNow();
                double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "image: %d blobs, %s; cold pull into the node: %.2f s%n", blobs.size(),
                        ByteSize.human(blobs.stream().mapToLong(BlobRequest::size).sum()), cold);
                System.out.printf(Locale.ROOT, "%d concurrent blob pulls through the mirror: %d errors, p50 %.3f s, p99 %.3f s, max %.3f s, "
                        + "%s in %.2f s (%.0f MB/s); peak RSS of the process %s%n", clients, errors, pct(sorted, 0.50), pct(sorted, 0.99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], ByteSize.human(bytes.get()), wall, bytes.get() / wall / 1e6,
                        ByteSize.human(peakRss.get() * 1024));
                return errors == 0 ? 0 : 1;
            }
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** This process's resident set, from /proc. */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
