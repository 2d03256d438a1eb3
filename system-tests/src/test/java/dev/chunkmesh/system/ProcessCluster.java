package dev.chunkmesh.system;

import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Settings for the nodes of one test cluster run as {@link NodeProcess}es: each on its own address
 * with fixed admin and registry ports (kept across restarts), its data under {@code dir/NAME}, all in
 * one POP (pop1 unless named) with a cluster name of this run alone. Their admin APIs listen on those addresses, so each
 * has a token ({@link #ADMIN_TOKEN}, from {@code dir/admin-token}).
 */
final class ProcessCluster {
    static final String ADMIN_TOKEN = "process-cluster-admin-token-0123456789";

    private final Path dir;
    private final Optional<URI> origin;
    private final String pop;
    private final String cluster = "mesh-test-" + UUID.randomUUID();
    private final Map<String, Integer> hazelcastPorts = new LinkedHashMap<>();
    private final boolean fixedPorts;

    /** Hazelcast ports are picked here on each address; the addresses must exist on this host. */
    ProcessCluster(Path dir, URI origin, List<String> addresses) throws IOException {
        this(dir, origin, addresses, 0);
    }

    /**
     * With {@code basePort} > 0, node {@code i} gets ports {@code basePort + 10 * i ...}: for addresses
     * that exist only inside network namespaces, where no free port can be asked for from here.
     */
    ProcessCluster(Path dir, URI origin, List<String> addresses, int basePort) throws IOException {
        this(dir, Optional.of(origin), "pop1", addresses, basePort);
    }

    /** A cluster of POP {@code pop}; with no origin, its nodes take what they lack from an upper tier ({@code tiers.upper}). */
    ProcessCluster(Path dir, Optional<URI> origin, String pop, List<String> addresses, int basePort) throws IOException {
        this.dir = dir;
        this.origin = origin;
        this.pop = pop;
        this.fixedPorts = basePort > 0;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN + "\n");
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            hazelcastPorts.put(a, basePort > 0 ? basePort + 10 * i : LocalMesh.freePort(a));
        }
    }

    /** The settings of node {@code name} on {@code address} (one of the cluster's addresses). */
    NodeSettings node(String name, String address) throws IOException {
        int hz = hazelcastPorts.get(address);
        List<String> members = hazelcastPorts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
        NodeSettings s = new LocalMesh(cluster, "test-cluster-secret-0123456789", members)
                .node(name, address, pop, Optional.empty(), hz, dir.resolve(name));
        s.adminPort(fixedPorts ? hz + 1 : LocalMesh.freePort(address));
        s.registryPort(fixedPorts ? hz + 2 : LocalMesh.freePort(address));
        s.peerPort(fixedPorts ? hz + 3 : LocalMesh.freePort(address));
        s.heartbeatTtl(Duration.ofSeconds(3)).capacity("1GiB").leaseTime(Duration.ofSeconds(3)).stallTimeout(Duration.ofSeconds(30));
        origin.ifPresent(s::origin);
        return s.adminTokenFile(dir.resolve("admin-token"));
    }
}
