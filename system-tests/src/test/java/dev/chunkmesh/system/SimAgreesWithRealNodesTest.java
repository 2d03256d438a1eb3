package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.Publisher;
import dev.chunkmesh.catalog.sign.KeyFiles;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.pull.BatchPull;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.sim.FleetSim;
import dev.chunkmesh.sim.ScenarioLoader;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust in the model: the same small scenario (three nodes in one POP and a micro-hub, one image,
 * pulled one node after another) run with real nodes and in the simulator, on the same recipes (the
 * simulator reads the image's signed catalog). Bytes from the origin and from inside the mesh must
 * agree within a few percent; so must each tier's bytes in a fleet of an edge POP pair under a region.
 */
class SimAgreesWithRealNodesTest {

    @TempDir
    Path dir;
    private final String runId = UUID.randomUUID().toString();
    private final Map<String, List<String>> tieredMembers = new HashMap<>();

    @Test
    void theSimulatorAndRealNodesMoveTheSameBytes() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            Path catalogFile = catalog(registry);
            long[] real = realPulls(registry);

            Map<String, Long> tiers = simulated("small-real", catalogFile,
                    "pops: [{name: pop, count: 1, nodes: 3, up: 1Gbit, down: 1Gbit, uplink: 10Gbit}]",
                    "hubs: [{name: hub, count: 1, nodes: 1, parent: pop-1, up: 1Gbit, down: 1Gbit, uplink: 1Gbit}]");
            long simOrigin = tiers.get("origin");
            long simMesh = tiers.get("peer") + tiers.get("parent") + tiers.get("other-pop");
            System.out.printf(Locale.ROOT, "trust in the model: origin bytes real %,d sim %,d (%.2f %%); from inside the mesh real %,d sim %,d (%.2f %%)%n",
                    real[0], simOrigin, 100.0 * (simOrigin - real[0]) / real[0], real[1], simMesh, 100.0 * (simMesh - real[1]) / real[1]);
            assertEquals(real[0], simOrigin, real[0] * 0.03, "origin bytes agree within 3 %");
            assertEquals(real[1], simMesh, real[1] * 0.03, "bytes from peers and the parent POP agree within 3 %");
        }
    }

    @Test
    void theSimulatorAndRealNodesMoveTheSameBytesThroughAnUpperTier() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            Path catalogFile = catalog(registry);
            long[] real = realTieredPulls(registry);
            Map<String, Long> tiers = simulated("tiers-real", catalogFile, "pops:",
                    "  - {name: edge, count: 2, nodes: 2, up: 1Gbit, down: 1Gbit, uplink: 10Gbit, upper: region-1}",
                    "  - {name: region, count: 1, nodes: 1, up: 1Gbit, down: 1Gbit, uplink: 10Gbit, cache-only: true}");
            long simOrigin = tiers.get("origin");
            long simUpper = tiers.get("upper");
            long simPeer = tiers.get("peer");
            System.out.printf(Locale.ROOT, "trust in the model, tiers: origin real %,d sim %,d; from the region real %,d sim %,d;"
                    + " from POP peers real %,d sim %,d%n", real[0], simOrigin, real[1], simUpper, real[2], simPeer);
            assertEquals(real[0], simOrigin, real[0] * 0.03, "origin bytes agree within 3 %: once for the whole fleet");
            assertEquals(real[1], simUpper, real[1] * 0.03, "bytes from the upper tier agree within 3 %: once per edge POP");
            assertEquals(real[2], simPeer, real[2] * 0.03, "bytes between the nodes of an edge POP agree within 3 %");
        }
    }

    /** Bytes by tier of the mesh strategy in a scenario of {@code topology} lines, the catalog's release pulled in four steps. */
    private Map<String, Long> simulated(String name, Path catalogFile, String... topology) throws Exception {
        List<String> lines = new ArrayList<>(List.of("name: " + name, "origin: {bandwidth: 100MB, latency: 1ms}"));
        lines.addAll(List.of(topology));
        lines.addAll(List.of("release: {catalog: " + catalogFile + "}", "rollout: {mode: percent, steps: [0.25, 0.5, 0.75, 1.0], interval: 60s}",
                "strategies: [mesh]", ""));
        Path scenario = dir.resolve(name + ".yaml");
        Files.writeString(scenario, String.join("\n", lines));
        FleetSim.Result sim = FleetSim.run(ScenarioLoader.load(scenario.toString()), (s, f) -> { });
        return sim.summaries().get(0).bytesByTier();
    }

    /** The test image pushed to the origin, and its signed catalog (the simulator's recipes). */
    private Path catalog(RegistryHarness registry) throws Exception {
        OciImages oci = new OciImages(dir.resolve("oci"));
        oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(101, 16, 600_000), OciImages.Compression.NONE),
                oci.layer(OciImages.files(102, 8, 600_000), OciImages.Compression.GZIP)), "linux", "amd64"));
        oci.push("v1", registry, "team/app");
        Path catalogFile = dir.resolve("catalog.json");
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            Catalog c = new Publisher(RegistryClient.of(registry.url(), Optional.empty()), ChunkerParams.DEFAULTS, workers, Optional.empty(),
                    Publisher.Listener.SILENT).publish("team/app", List.of("v1"), 1, Instant.now(), Optional.empty());
            Files.write(catalogFile, SignedCatalog.sign(c, List.of(KeyFiles.generate(dir.resolve("keys"), new SecureRandom()))));
        } finally {
            workers.shutdownNow();
        }
        return catalogFile;
    }

    /**
     * A regional POP of one node in front of the origin, two edge POPs of two nodes under it (three
     * Hazelcast clusters); the edge nodes pull the image one after another. Returns {origin blob bytes
     * (the origin's access log), bytes from the region, bytes between nodes of an edge POP}.
     */
    private long[] realTieredPulls(RegistryHarness registry) throws Exception {
        List<MeshNode> nodes = new ArrayList<>();
        try {
            MeshNode region = start("r", "127.0.0.5", "region-1", new NodeSettings().origin(registry.url()));
            nodes.add(region);
            List<MeshNode> edges = new ArrayList<>();
            for (String[] s : new String[][] {{"e1", "127.0.0.6", "edge-1"}, {"e2", "127.0.0.7", "edge-1"}, {"e3", "127.0.0.8", "edge-2"},
                    {"e4", "127.0.0.9", "edge-2"}}) {
                edges.add(start(s[0], s[1], s[2], new NodeSettings().upperTier(region.info().peerAddress())));
            }
            nodes.addAll(edges);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (edges.stream().anyMatch(n -> n.pop().membership().alive().size() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<BlobRequest> image = ImageBlobs.of(region.upstreams().defaultOrigin(), "team/app", "v1");
            long before = originBytes(registry, image);
            long upper = 0;
            long peers = 0;
            for (MeshNode n : edges) {
                List<BlobRequest> through = image.stream().map(b -> new BlobRequest(n.upstreams().defaultOrigin(), b.repository(), b.blob(),
                        b.size())).toList();
                BatchPull.Result r = new BatchPull(n.pulls(), through).result().get(120, TimeUnit.SECONDS);
                upper += r.bytesBySource().get(SourceKind.PARENT);
                peers += r.bytesBySource().get(SourceKind.SAME_POP);
            }
            return new long[] {originBytes(registry, image) - before, upper, peers};
        } finally {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        }
    }

    /** Blob bytes the origin's access log shows sent so far (the catalog's publisher read the image too). */
    private static long originBytes(RegistryHarness registry, List<BlobRequest> image) throws Exception {
        long n = 0;
        for (BlobRequest b : image) {
            n += registry.bytesSent("/blobs/" + b.blob());
        }
        return n;
    }

    /** A node in a POP of its own cluster (the POP's name), joined by whichever of its nodes start. */
    private MeshNode start(String name, String address, String pop, NodeSettings extra) throws Exception {
        int port = LocalMesh.freePort(address);
        List<String> members = tieredMembers.computeIfAbsent(pop, p -> new ArrayList<>());
        members.add(address + ":" + port);
        LocalMesh mesh = new LocalMesh("mesh-test-" + pop + "-" + runId, "trust-test-secret-0123456789", List.copyOf(members));
        return MeshNode.start(mesh.node(name, address, pop, Optional.empty(), port, dir.resolve("nodes").resolve(name)).setAll(extra).load());
    }

    /** Three POP nodes and a micro-hub pull the image one after another; returns {origin bytes, bytes from inside the mesh}. */
    private long[] realPulls(RegistryHarness registry) throws Exception {
        String[][] specs = {{"a", "127.0.0.1", "pop-1", ""}, {"b", "127.0.0.2", "pop-1", ""}, {"c", "127.0.0.3", "pop-1", ""},
                {"h", "127.0.0.4", "hub-1", "pop-1"}};
        List<String> members = new ArrayList<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String[] s : specs) {
            ports.put(s[0], LocalMesh.freePort(s[1]));
            members.add(s[1] + ":" + ports.get(s[0]));
        }
        LocalMesh mesh = new LocalMesh("mesh-test-" + UUID.randomUUID(), "trust-test-secret-0123456789", members);
        List<MeshNode> nodes = new ArrayList<>();
        try {
            for (String[] s : specs) {
                NodeSettings settings = mesh.node(s[0], s[1], s[2], s[3].isEmpty() ? Optional.empty() : Optional.of(s[3]),
                        ports.get(s[0]), dir.resolve("nodes").resolve(s[0]));
                nodes.add(MeshNode.start(settings.origin(registry.url()).load()));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (nodes.stream().anyMatch(n -> n.pop().membership().alive().size() < 4) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<BlobRequest> image = ImageBlobs.of(nodes.get(0).upstreams().defaultOrigin(), "team/app", "v1");
            long origin = 0;
            long inside = 0;
            for (MeshNode n : nodes) {
                BatchPull.Result r = new BatchPull(n.pulls(), image).result().get(120, TimeUnit.SECONDS);
                origin += r.bytesBySource().get(SourceKind.ORIGIN);
                inside += r.bytesBySource().get(SourceKind.SAME_POP) + r.bytesBySource().get(SourceKind.PARENT)
                        + r.bytesBySource().get(SourceKind.OTHER_POP);
            }
            return new long[] {origin, inside};
        } finally {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        }
    }
}
