package dev.chunkmesh.cli;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.ConfigKeys;
import dev.chunkmesh.node.config.ConfigLoader;
import dev.chunkmesh.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh node run}: starts a node and keeps it running until SIGINT or SIGTERM, then leaves the
 * POP cleanly. Settings come from defaults, {@code --config FILE}, {@code MESH_*} variables and flags.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a node: chunk store, Hazelcast member of its POP, peer API and admin API.",
                "Every setting has a YAML key and a MESH_* variable; run 'mesh node run --list-settings' to see them all."})
final class NodeRunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings file.")
    Path config;

    @Option(names = "--name", description = "This node's name (node.name).")
    String name;
    @Option(names = "--pop", description = "The node's POP (node.pop).")
    String pop;
    @Option(names = "--parent-pop", description = "For a micro-hub: its parent POP (node.parent-pop).")
    String parentPop;
    @Option(names = "--bind", paramLabel = "ADDR", description = "Private address to listen on (network.bind).")
    String bind;
    @Option(names = "--data", paramLabel = "DIR", description = "Store folder (store.data).")
    String data;
    @Option(names = "--capacity", paramLabel = "SIZE", description = "Store capacity, e.g. 200GiB (store.capacity).")
    String capacity;
    @Option(names = "--peer-port", description = "Peer API port (network.peer-port).")
    String peerPort;
    @Option(names = "--registry-port", description = "Registry mirror port (network.registry-port).")
    String registryPort;
    @Option(names = "--admin-port", description = "Admin API port (network.admin-port).")
    String adminPort;
    @Option(names = "--hazelcast-port", description = "Hazelcast member port (network.hazelcast-port).")
    String hazelcastPort;
    @Option(names = "--members", paramLabel = "ADDR[:PORT],...", description = "Hazelcast members to join (network.members).")
    String members;
    @Option(names = "--cluster-name", description = "Hazelcast cluster name (cluster.name).")
    String clusterName;
    @Option(names = "--upper-tier", paramLabel = "HOST:PORT,...", description = "Peer API addresses of the upper tier's nodes, instead of"
            + " an origin (tiers.upper).")
    String upperTier;
    @Option(names = "--origin", paramLabel = "URL", description = "Default upstream registry (origin.url).")
    String origin;
    @Option(names = "--trusted-keys", paramLabel = "KEY_OR_DIR", description = "Catalog signing keys to trust (catalog.trusted-keys).")
    String trustedKeys;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other setting, e.g. --set pull.parallel-fetches=16.")
    Map<String, String> more = new LinkedHashMap<>();
    @Option(names = "--list-settings", description = "Print every setting with its default and variable, then exit.")
    boolean list;
    @Option(names = "--check", description = "Read and check the settings, print them as YAML (secrets hidden), and exit without starting.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (ConfigKeys.Key k : ConfigKeys.ALL.values()) {
                System.out.printf("%-24s %-10s %-30s %s%n", k.name(), k.defaultValue().isEmpty() ? "-" : k.defaultValue(),
                        k.environmentVariable(), k.help());
            }
            return 0;
        }
        if (check) {
            String yaml = ConfigLoader.effectiveYaml(Optional.ofNullable(config), System.getenv(), flags());
            System.out.println("# settings OK; the effective settings, each with where it came from:");
            System.out.print(yaml);
            return 0;
        }
        NodeConfig c = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), flags());
        MeshNode node = MeshNode.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "mesh-node-shutdown"));
        System.out.printf("node %s up in %s: admin %s, peer %s, store %s%n", c.node().name(), c.node().pop(), node.adminUrl(),
                node.info().peerAddress(), c.store().data().toAbsolutePath());
        stopped.await();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "node.name", name);
        put(f, "node.pop", pop);
        put(f, "node.parent-pop", parentPop);
        put(f, "network.bind", bind);
        put(f, "store.data", data);
        put(f, "store.capacity", capacity);
        put(f, "network.peer-port", peerPort);
        put(f, "network.registry-port", registryPort);
        put(f, "network.admin-port", adminPort);
        put(f, "network.hazelcast-port", hazelcastPort);
        put(f, "network.members", members);
        put(f, "cluster.name", clusterName);
        put(f, "origin.url", origin);
        put(f, "tiers.upper", upperTier);
        put(f, "catalog.trusted-keys", trustedKeys);
        f.putAll(more);
        return f;
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null) {
            f.put(key, value);
        }
    }
}
