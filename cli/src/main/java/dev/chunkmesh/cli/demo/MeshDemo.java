package dev.chunkmesh.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.Progress;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.RegistryOrigin;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.ByteSize;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ProgressBar;

/**
 * What {@code mesh demo} does: origin, mesh, one pull through each node's mirror in turn, the table,
 * then wait for Ctrl-C (or not), and stop everything it started.
 */
public final class MeshDemo {
    static final String REPOSITORY = "demo/app";

    /** One node's pull: its time and bytes by source. */
    record Row(MeshNode node, double seconds, Map<SourceKind, Long> bytes) {}

    private final Path data;
    private final URI userOrigin;
    private final String userImage;
    private final long imageBudget;
    private final boolean json;

    public MeshDemo(Path data, URI origin, String image, long imageBudget, boolean json) {
        this.data = data;
        this.userOrigin = origin;
        this.userImage = image;
        this.imageBudget = imageBudget;
        this.json = json;
    }

    public int run(boolean once) throws Exception {
        FileTrees.deleteRecursively(data);
        LayoutRegistry builtIn = null;
        DemoMesh mesh = null;
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            URI origin = userOrigin;
            String repository;
            String reference;
            if (origin == null) {
                note("building the demo image from this machine's JDK and the mesh's jars...");
                long bytes = DemoImage.write(data.resolve("image"), imageBudget);
                builtIn = new LayoutRegistry(data.resolve("image"), REPOSITORY);
                origin = builtIn.url();
                repository = REPOSITORY;
                reference = "demo";
                note("built-in origin " + origin + " serves " + REPOSITORY + ":demo (" + ByteSize.human(bytes) + ")");
            } else {
                int colon = userImage.lastIndexOf(':');
                if (colon <= 0 || userImage.indexOf('/', colon) >= 0) {
                    throw new IllegalArgumentException("--image must be repo:tag, got " + userImage);
                }
                repository = userImage.substring(0, colon);
                reference = userImage.substring(colon + 1);
            }
            note("starting 3 POP nodes and a micro-hub on 127.0.0.1-4...");
            mesh = DemoMesh.start(data.resolve("nodes"), origin);
            List<Row> rows = new ArrayList<>();
            for (MeshNode n : mesh.nodes()) {
                rows.add(pullThrough(n, repository, reference));
            }
            long originSent = builtIn != null ? builtIn.blobBytesSent() : -1;
            if (json) {
                System.out.println(json(rows, originSent));
            } else {
                print(rows, originSent, mesh.nodes());
            }
            if (!once && System.console() == null) {
                note("not attached to a terminal: stopping now, as with --once");
            } else if (!once) {
                DemoMesh running = mesh;
                LayoutRegistry server = builtIn;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    running.close();
                    if (server != null) {
                        server.close();
                    }
                    stopped.countDown();
                }, "demo-shutdown"));
                System.out.println("\nThe mesh keeps running; press Ctrl-C to stop it.");
                mesh = null;
                builtIn = null;
                stopped.await();
            }
            return 0;
        } finally {
            if (mesh != null) {
                mesh.close();
            }
            if (builtIn != null) {
                builtIn.close();
            }
        }
    }

    private Row pullThrough(MeshNode node, String repository, String reference) throws Exception {
        URI mirror = URI.create(node.registryUrl());
        List<BlobRequest> blobs = ImageBlobs.of(new RegistryOrigin(RegistryClient.of(mirror, Optional.empty()), Bandwidth.unlimited()),
                repository, reference);
        long total = blobs.stream().mapToLong(BlobRequest::size).sum();
        Map<SourceKind, Long> before = bytes(node);
        long start = System.nanoTime();
        try (ProgressBar bar = Progress.bytes("pull via " + node.info().id(), total)) {
            MirrorPull.pull(mirror, blobs, bar::stepBy);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!node.pulls().running().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Map<SourceKind, Long> after = bytes(node);
        after.replaceAll((k, v) -> v - before.get(k));
        return new Row(node, seconds, after);
    }

    private static Map<SourceKind, Long> bytes(MeshNode n) {
        Map<SourceKind, Long> m = new EnumMap<>(SourceKind.class);
        for (SourceKind k : SourceKind.values()) {
            m.put(k, n.metrics().pulledBytes(k));
        }
        return m;
    }

    private static final List<SourceKind> SHOWN = List.of(SourceKind.LOCAL, SourceKind.SAME_POP, SourceKind.PARENT, SourceKind.ORIGIN);

    private static void print(List<Row> rows, long originSent, List<MeshNode> nodes) {
        System.out.printf("%n%-8s %-10s %8s %12s %12s %12s %12s%n", "NODE", "TIER", "SECONDS", "LOCAL", "PEER", "PARENT", "ORIGIN");
        long image = 0;
        for (Row r : rows) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %-10s %8.2f", r.node().info().id(), tier(r.node()), r.seconds()));
            for (SourceKind k : SHOWN) {
                b.append(String.format(Locale.ROOT, " %12s", ByteSize.human(r.bytes().get(k))));
            }
            System.out.println(b);
            image = Math.max(image, r.bytes().values().stream().mapToLong(Long::longValue).sum());
        }
        if (originSent >= 0) {
            System.out.printf(Locale.ROOT, "%nthe origin sent %s of blobs for an image of %s: %.2fx the image, for %d pulls%n",
                    ByteSize.human(originSent), ByteSize.human(image), image == 0 ? 0.0 : (double) originSent / image, rows.size());
        }
        System.out.println("\nnode status pages:");
        for (MeshNode n : nodes) {
            System.out.printf("  %-8s %s/v1/status   (mirror %s, metrics %s/metrics)%n", n.info().id(), n.adminUrl(), n.registryUrl(), n.adminUrl());
        }
    }

    private static String json(List<Row> rows, long originSent) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        ArrayNode nodes = root.putArray("nodes");
        for (Row r : rows) {
            ObjectNode n = nodes.addObject();
            n.put("name", r.node().info().id().name());
            n.put("tier", tier(r.node()));
            n.put("pull_seconds", r.seconds());
            n.put("status_url", r.node().adminUrl() + "/v1/status");
            ObjectNode bytes = n.putObject("bytes");
            for (SourceKind k : SHOWN) {
                bytes.put(NodeMetrics.sourceName(k), r.bytes().get(k));
            }
        }
        if (originSent >= 0) {
            root.put("origin_bytes_sent", originSent);
        }
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static String tier(MeshNode n) {
        return n.info().parentPop().isPresent() ? "micro-hub" : "pop";
    }

    private void note(String line) {
        System.err.println("demo: " + line);
    }
}
