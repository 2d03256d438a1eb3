package dev.chunkmesh.system;


import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.node.WanProxy;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A POP of four node processes in two network namespaces (two racks behind one router), with the
 * origin reachable from both. The link between the racks is cut: each half goes on as a POP of two
 * and completes pulls byte-exact. The link comes back: the halves merge into one cluster, every
 * node's holdings are visible again, and pulls are served across the former split. Then a member
 * is lost for good (SIGKILL) and pulls still complete.
 */
class PopSplitTest {

    private static final Duration PULL = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private int pulls;
    private long verifiedBytes;

    @Test
    void aPopSplitInTwoKeepsPullingInBothHalvesAndHealsIntoOneWithEveryHoldingVisible() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2, 2);
             RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             WanProxy origin = new WanProxy(InetAddress.getByName(lab.hostAddress()),
                     new InetSocketAddress("127.0.0.1", registry.url().getPort()), 1L << 40, Duration.ZERO)) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            for (int v = 1; v <= 2; v++) {
                oci.tag("v" + v, oci.manifest(List.of(oci.layer(OciImages.files(60 + v, 8, 1_000_000), OciImages.Compression.NONE)),
                        "linux", "amd64"));
                oci.push("v" + v, registry, "team/app");
            }
            List<String> addresses = List.of(NetnsLab.address(0, 1), NetnsLab.address(0, 2), NetnsLab.address(1, 1), NetnsLab.address(1, 2));
            ProcessCluster cluster = new ProcessCluster(dir, origin.url(), addresses, 5800);
            List<NodeProcess> nodes = new ArrayList<>();
            try {
                String[] names = {"a1", "a2", "b1", "b2"};
                for (int i = 0; i < 4; i++) {
                    NodeSettings s = cluster.node(names[i], addresses.get(i))
                            .memberTimeout(Duration.ofSeconds(4)).mergeInterval(Duration.ofSeconds(3));
                    nodes.add(NodeProcess.start(names[i], s, lab.prefix(i / 2), dir.resolve(names[i] + ".log")));
                }
                for (NodeProcess n : nodes) {
                    n.awaitHealthy(Duration.ofSeconds(90));
                }
                NodeProcess a1 = nodes.get(0);
                NodeProcess a2 = nodes.get(1);
                NodeProcess b1 = nodes.get(2);
                NodeProcess b2 = nodes.get(3);
                awaitView(nodes, List.of("a1", "a2", "b1", "b2"));

                List<Digest> v1 = NodeApi.blobs(pullWhole(a1, "v1", "origin"));
                pullWhole(b1, "v1", "peer");

                lab.cut(0, 1);
                keepSeeingEachOther(List.of(a1, a2, b1, b2), Duration.ofSeconds(4 + 2));
                awaitView(List.of(a1, a2), List.of("a1", "a2"));
                awaitView(List.of(b1, b2), List.of("b1", "b2"));
                for (Digest blob : v1) {
                    await(() -> holders(a1, blob).equals(List.of("a1")) && holders(b1, blob).equals(List.of("b1")),
                            () -> "each half sees its own holder of " + blob + " and not the other's: a1 sees " + holders(a1, blob)
                                    + ", b1 sees " + holders(b1, blob));
                }
                pullWhole(a2, "v1", "peer");
                pullWhole(b2, "v1", "peer");
                List<Digest> v2 = NodeApi.blobs(pullWhole(a2, "v2", "origin"));
                pullWhole(b2, "v2", "origin");

                lab.heal();
                awaitView(nodes, List.of("a1", "a2", "b1", "b2"));
                for (NodeProcess n : List.of(a1, b1)) {
                    for (Digest blob : v1) {
                        await(() -> holders(n, blob).equals(List.of("a1", "a2", "b1", "b2")),
                                () -> n.name() + " sees every holder of " + blob + " after the merge: " + holders(n, blob));
                    }
                }
                for (Digest blob : v2) {
                    await(() -> holders(a2, blob).equals(List.of("a2", "b2")),
                            () -> "a2 sees b2's copy of " + blob + ", pulled during the split: " + holders(a2, blob));
                }
                pullWhole(a1, "v2", "peer");

                b2.kill9();
                awaitView(List.of(a1, a2, b1), List.of("a1", "a2", "b1"));
                pullWhole(b1, "v2", "peer");
                System.out.printf("pop split: %d pulls (before, during and after a split, and after a member lost),"
                        + " %d bytes checked through the mirrors, 0 corrupt%n", pulls, verifiedBytes);
            } finally {
                for (NodeProcess n : nodes) {
                    n.close();
                }
            }
        }
    }

    private JsonNode pullWhole(NodeProcess node, String tag, String mainSource) throws Exception {
        JsonNode done = node.pullWhole("team/app", tag, mainSource, PULL);
        pulls++;
        verifiedBytes += NodeApi.totalBytes(done);
        return done;
    }

    private static List<String> holders(NodeProcess node, Digest blob) {
        try {
            return node.holders(blob);
        } catch (Exception e) {
            return List.of("(status failed: " + e + ")");
        }
    }

    /**
     * For {@code window} after a cut (the member timeout, and a margin), each node keeps seeing the
     * other node of its half alive: the silent half must not stall or expire the heartbeats of the
     * healthy one while Hazelcast decides to drop it.
     */
    private static void keepSeeingEachOther(List<NodeProcess> nodes, Duration window) throws Exception {
        long until = System.nanoTime() + window.toNanos();
        int reads = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < nodes.size(); i++) {
                NodeProcess n = nodes.get(i);
                NodeProcess partner = nodes.get(i ^ 1);
                List<String> seen = NodeApi.members(n.status(Duration.ofSeconds(30)));
                if (!seen.contains(n.name()) || !seen.contains(partner.name())) {
                    throw new AssertionError("read " + reads + " after the cut: " + n.name() + " sees " + seen + ", lost sight of its own half");
                }
                reads++;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until each of {@code nodes} sees exactly {@code members} alive, both by heartbeat and as
     * Hazelcast members.
     */
    private static void awaitView(List<NodeProcess> nodes, List<String> members) throws Exception {
        for (NodeProcess n : nodes) {
            await(() -> {
                try {
                    return n.members().stream().sorted().toList().equals(members)
                            && n.status().get("cluster_members").asInt() == members.size();
                } catch (Exception e) {
                    return false;
                }
            }, () -> {
                try {
                    return n.name() + " sees " + n.members() + " (" + n.status().get("cluster_members") + " Hazelcast members), expected "
                            + members;
                } catch (Exception e) {
                    return n.name() + ": " + e;
                }
            });
        }
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(message.get());
    }
}
