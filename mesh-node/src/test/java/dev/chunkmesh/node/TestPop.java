package dev.chunkmesh.node;

import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.store.ChunkStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Real nodes in one JVM, each on its own loopback address (127.0.0.x) with its own store, joined into
 * one Hazelcast cluster by TCP-IP under a cluster name unique to the test run.
 */
public final class TestPop implements AutoCloseable {
    public static final String SECRET = "test-cluster-secret-0123456789";

    /** One node to be: its name, address, POP, and parent POP for a micro-hub. */
    public record Spec(String name, String address, String pop, Optional<String> parentPop) {
        public static Spec pop(String name, String address, String pop) {
            return new Spec(name, address, pop, Optional.empty());
        }

        public static Spec hub(String name, String address, String hub, String parent) {
            return new Spec(name, address, hub, Optional.of(parent));
        }
    }

    private final String cluster = "mesh-test-" + UUID.randomUUID();
    private final Path dir;
    private final Optional<URI> origin;
    private final Map<String, Integer> hazelcastPorts = new HashMap<>();
    private final List<String> members = new ArrayList<>();
    private final List<MeshNode> nodes = new ArrayList<>();

    /** A POP whose nodes are {@code specs}; they are started by {@link #start}. */
    public TestPop(Path dir, Optional<URI> origin, List<Spec> specs) throws IOException {
        this.dir = dir;
        this.origin = origin;
        for (Spec s : specs) {
            int port = LocalMesh.freePort(s.address());
            hazelcastPorts.put(s.name(), port);
            members.add(s.address() + ":" + port);
        }
    }

    /** The settings of node {@code s}: a 1 GiB store, short leases and heartbeats, the POP's origin if any, then {@code extra}. */
    public NodeSettings settings(Spec s, NodeSettings extra) {
        NodeSettings n = new LocalMesh(cluster, SECRET, members).node(s.name(), s.address(), s.pop(), s.parentPop(),
                hazelcastPorts.get(s.name()), dir.resolve(s.name()));
        n.heartbeatTtl(Duration.ofSeconds(3)).capacity("1GiB").leaseTime(Duration.ofSeconds(3)).stallTimeout(Duration.ofSeconds(30));
        origin.ifPresent(n::origin);
        return n.setAll(extra);
    }

    public MeshNode start(Spec s) throws Exception {
        return start(s, UnaryOperator.identity());
    }

    public MeshNode start(Spec s, NodeSettings extra) throws Exception {
        MeshNode n = MeshNode.start(settings(s, extra).load());
        nodes.add(n);
        return n;
    }

    public MeshNode start(Spec s, UnaryOperator<ChunkStore> wrapper) throws Exception {
        return start(s, new NodeSettings(), wrapper);
    }

    public MeshNode start(Spec s, NodeSettings extra, UnaryOperator<ChunkStore> wrapper) throws Exception {
        MeshNode n = MeshNode.start(settings(s, extra).load(), wrapper);
        nodes.add(n);
        return n;
    }

    /** Waits until every started node sees {@code count} live members. */
    public void awaitMembers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> n.pop().membership().alive().size() == count)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nodes did not see " + count + " members: "
                + nodes.stream().map(n -> n.info().id() + "=" + n.pop().membership().alive().size()).toList());
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // already dead
            }
        }
    }
}
