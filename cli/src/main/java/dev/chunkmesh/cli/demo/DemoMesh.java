package dev.chunkmesh.cli.demo;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The demo's mesh on this machine: three POP nodes and one micro-hub on 127.0.0.1-4, one Hazelcast
 * cluster (TCP-IP, a name of its own, nothing sent beyond loopback), each with its store under the
 * demo folder, all pulling from one origin. {@link #close} stops every node.
 */
public final class DemoMesh implements AutoCloseable {

    /** A node to start: name, loopback address, POP, and the parent POP of a micro-hub. */
    public record Member(String name, String address, String pop, Optional<String> parent) {}

    static final List<Member> MEMBERS = List.of(new Member("pop-a", "127.0.0.1", "pop-demo", Optional.empty()),
            new Member("pop-b", "127.0.0.2", "pop-demo", Optional.empty()), new Member("pop-c", "127.0.0.3", "pop-demo", Optional.empty()),
            new Member("hub-1", "127.0.0.4", "hub-demo", Optional.of("pop-demo")));

    private final List<MeshNode> nodes = new ArrayList<>();

    private DemoMesh() {
    }

    static DemoMesh start(Path data, URI origin) throws Exception {
        return start(data, origin, MEMBERS, new NodeSettings());
    }

    /**
     * Starts {@code members} (fresh stores under {@code data}, 4 GiB each, {@code settings} on every node,
     * every other setting at its default) pulling from {@code origin}.
     */
    public static DemoMesh start(Path data, URI origin, List<Member> members, NodeSettings settings) throws Exception {
        String cluster = "mesh-demo-" + UUID.randomUUID();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Map<String, Integer> ports = new HashMap<>();
        List<String> addresses = new ArrayList<>();
        for (Member m : members) {
            ports.put(m.name(), LocalMesh.freePort(m.address()));
            addresses.add(m.address() + ":" + ports.get(m.name()));
        }
        LocalMesh local = new LocalMesh(cluster, HexFormat.of().formatHex(secret), addresses);
        DemoMesh mesh = new DemoMesh();
        try {
            for (Member m : members) {
                NodeSettings node = local.node(m.name(), m.address(), m.pop(), m.parent(), ports.get(m.name()), data.resolve(m.name()));
                mesh.nodes.add(MeshNode.start(node.capacity("4GiB").origin(origin).setAll(settings).load()));
            }
        } catch (Exception e) {
            mesh.close();
            throw e;
        }
        return mesh;
    }

    public List<MeshNode> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        // Members leaving one by one make the others warn about lost connections; expected here.
        Logger.getLogger("com.hazelcast").setLevel(Level.SEVERE);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("demo: node " + nodes.get(i).info().id() + " did not stop cleanly: " + e.getMessage());
            }
        }
        nodes.clear();
    }
}
