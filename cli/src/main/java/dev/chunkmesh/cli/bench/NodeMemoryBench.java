package dev.chunkmesh.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.MeshCommand;
import dev.chunkmesh.cli.demo.LayoutRegistry;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.oci.OciLayout;
import dev.chunkmesh.store.ByteSize;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench node-memory}: the resident memory of one node process whose store index holds
 * about {@code --chunks} chunks, right after a restart over that store, and after churn that evicts
 * and replaces the whole store {@code --churn} times. The chunks are real: images of random data
 * pulled through the node from a built-in origin, cut with a small chunker (64/256/1024 bytes) so a
 * million chunks fit in a few hundred MiB of disk. The node runs as its own process with the JVM
 * options the Helm chart gives it by default.
 */
@Command(name = "node-memory", mixinStandardHelpOptions = true,
        description = "RSS of a node process with ~10^6 chunks in its store index: after a restart, and after churn.")
final class NodeMemoryBench implements Callable<Integer> {

    private static final int CHUNK_AVG = 256;
    /** Mean chunk the 64/256/1024 chunker cuts from random data, measured: 16 MiB gave 57,850 chunks. */
    private static final int CHUNK_MEAN = 290;
    private static final int LAYER_BYTES = 16 * 1024 * 1024;

    @Option(names = "--chunks", description = "Chunks to fill the store with (default: ${DEFAULT-VALUE}).")
    long chunks = 1_000_000;

    @Option(names = "--churn", description = "Times the whole store is replaced by new chunks after the restart (default: ${DEFAULT-VALUE}).")
    double churn = 1.0;

    @Option(names = "--java-opts", description = "JVM options of the node process (default: ${DEFAULT-VALUE}, the chart's 70 % of its 4 GiB limit).")
    String javaOpts = "-XX:MaxRAMPercentage=70 -XX:MaxRAM=4g";

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data", "bench-memory");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        FileTrees.deleteRecursively(dir);
        long fillBytes = chunks * CHUNK_MEAN;
        int fillLayers = (int) Math.max(1, (fillBytes + LAYER_BYTES - 1) / LAYER_BYTES);
        int churnLayers = (int) Math.ceil(fillLayers * churn);
        System.err.printf(Locale.ROOT, "writing images: %d layers to fill, %d layers of churn (%s each, random data)%n",
                fillLayers, churnLayers, ByteSize.human(LAYER_BYTES));
        OciLayout layout = new OciLayout(dir.resolve("origin"));
        image(layout, "fill", fillLayers, 1);
        for (int i = 0; i < churnLayers; i++) {
            image(layout, "churn-" + i, 1, 1000 + i);
        }
        try (LayoutRegistry origin = new LayoutRegistry(layout.dir(), "bench/memory")) {
            Map<String, String> settings = settings(origin.url(), (long) (fillBytes * 1.3)).flags();
            List<String> rows = new ArrayList<>();
            try (Child node = Child.start(settings, javaOpts, dir.resolve("node.log"))) {
                node.awaitHealthy();
                rows.add(row("empty node, just started", node));
                double t = pull(node, "fill");
                rows.add(row(String.format(Locale.ROOT, "after pulling the fill image (%.0f s)", t), node));
            }
            long t0 = System.nanoTime();
            try (Child node = Child.start(settings, javaOpts, dir.resolve("node.log"))) {
                node.awaitHealthy();
                double start = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(3000);
                rows.add(row(String.format(Locale.ROOT, "restarted over that store (healthy in %.1f s)", start), node));
                AtomicLong peak = new AtomicLong();
                long churnStart = System.nanoTime();
                for (int i = 0; i < churnLayers; i++) {
                    pull(node, "churn-" + i);
                    peak.accumulateAndGet(node.rss(), Math::max);
                    System.err.printf(Locale.ROOT, "  churn %d/%d: %d chunks held, %d evictions, RSS %s%n", i + 1, churnLayers,
                            (long) node.metric("mesh_store_chunks"), (long) node.metric("mesh_store_evictions_total"), ByteSize.human(node.rss()));
                }
                rows.add(row(String.format(Locale.ROOT, "after churn: %d evictions in %.0f s (peak RSS during churn %s)",
                        (long) node.metric("mesh_store_evictions_total"), (System.nanoTime() - churnStart) / 1e9, ByteSize.human(peak.get())), node));
            }
            System.out.printf(Locale.ROOT, "node JVM options: %s; chunker 64/%d/1024 bytes; store.fsync false%n", javaOpts, CHUNK_AVG);
            System.out.printf(Locale.ROOT, "%-80s %12s %10s %12s%n", "moment", "chunks", "RSS", "live heap");
            rows.forEach(System.out::println);
            return 0;
        }
    }

    private static void image(OciLayout layout, String tag, int layers, long seed) throws IOException {
        List<OciLayout.Layer> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < layers; i++) {
            byte[] content = new byte[LAYER_BYTES - 4096];
            r.nextBytes(content);
            out.add(layout.layer(List.of(new OciLayout.File("data/" + tag + "-" + i + ".bin", content)), OciLayout.Compression.NONE));
        }
        layout.tag(tag, layout.manifest(out, "linux", "amd64"));
    }

    /** A node of a mesh of its own (no members to join). */
    private NodeSettings settings(URI origin, long capacity) throws IOException {
        return new LocalMesh("bench-memory-" + ProcessHandle.current().pid(), "bench-memory-secret-0123456789", List.of())
                .node("bench", "127.0.0.1", "bench", Optional.empty(), LocalMesh.freePort("127.0.0.1"), dir.resolve("node"))
                .adminPort(LocalMesh.freePort("127.0.0.1")).capacity(Long.toString(capacity)).fsync(false).chunker(64, CHUNK_AVG, 1024)
                .origin(origin);
    }

    private double pull(Child node, String tag) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String body = "{\"repository\":\"bench/memory\",\"reference\":\"" + tag + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.admin.resolve("/v1/pull")).timeout(Duration.ofHours(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().strip().split("\n");
        JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
        if (!"done".equals(last.path("event").asText())) {
            throw new IllegalStateException("pull of " + tag + " failed: " + last);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String row(String moment, Child node) throws IOException, InterruptedException {
        long chunks = (long) node.metric("mesh_store_chunks");
        long rss = node.rss();
        long heap = node.liveHeap();
        return String.format(Locale.ROOT, "%-80s %12d %10s %12s", moment, chunks, ByteSize.human(rss), ByteSize.human(heap));
    }

    /** The node as a child process. */
    private static final class Child implements AutoCloseable {
        private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([-0-9.eE+NaN]+)$", Pattern.MULTILINE);
        private final Process process;
        private final URI admin;
        private final HttpClient http = HttpClient.newHttpClient();

        private Child(Process process, URI admin) {
            this.process = process;
            this.admin = admin;
        }

        static Child start(Map<String, String> settings, String javaOpts, Path log) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
            for (String open : List.of("java.base/java.lang", "java.base/sun.nio.ch", "java.management/sun.management",
                    "jdk.management/com.sun.management.internal")) {
                cmd.addAll(List.of("--add-opens", open + "=ALL-UNNAMED"));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MeshCommand.class.getName(), "node", "run"));
            settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            // Ctrl-C on the bench stops the node too.
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "bench-node-stop"));
            return new Child(p, URI.create("http://127.0.0.1:" + settings.get("network.admin-port")));
        }

        void awaitHealthy() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the node exited with " + process.exitValue() + "; see its log");
                }
                try {
                    if (http.send(HttpRequest.newBuilder(admin.resolve("/healthz")).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the node did not become healthy");
        }

        /** Sum of every sample of a metric on {@code /metrics}. */
        double metric(String name) throws IOException, InterruptedException {
            String text = http.send(HttpRequest.newBuilder(admin.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            Matcher m = SAMPLE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(name) && (m.group(2) == null || !name.equals("jvm_memory_used_bytes") || m.group(2).contains("area=\"heap\""))) {
                    sum += Double.parseDouble(m.group(3));
                }
            }
            return sum;
        }

        long rss() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        }

        /** Heap in use after a full GC the node is asked for (jcmd GC.run). */
        long liveHeap() throws IOException, InterruptedException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            gc.waitFor(60, TimeUnit.SECONDS);
            return (long) metric("jvm_memory_used_bytes");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
