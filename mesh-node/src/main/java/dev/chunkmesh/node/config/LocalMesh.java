package dev.chunkmesh.node.config;

import dev.chunkmesh.gossip.hazelcast.MemberPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a mesh whose nodes all run on one machine, each on its own loopback address
 * (127.0.0.x) with any free peer, admin and registry port: for the demo and for tests. Every node of
 * one {@code LocalMesh} joins the same Hazelcast cluster through {@code members}.
 *
 * @param cluster a cluster name of this mesh alone
 * @param members {@code address:port} of every node's Hazelcast member
 */
public record LocalMesh(String cluster, String secret, List<String> members) {
    public LocalMesh {
        members = List.copyOf(members);
    }

    /** A port free right now on {@code address} (a loopback alias such as 127.0.0.2), for a node's Hazelcast member. */
    public static int freePort(String address) throws IOException {
        return MemberPorts.free(address);
    }

    /** The settings, as flags for {@link ConfigLoader}, of one node of this mesh. */
    public Map<String, String> node(String name, String address, String pop, Optional<String> parentPop, int hazelcastPort, Path data) {
        Map<String, String> flags = new HashMap<>();
        flags.put("node.name", name);
        flags.put("node.pop", pop);
        parentPop.ifPresent(p -> flags.put("node.parent-pop", p));
        flags.put("network.bind", address);
        flags.put("network.registry-bind", address);
        flags.put("network.admin-bind", address);
        flags.put("network.peer-port", "0");
        flags.put("network.admin-port", "0");
        flags.put("network.registry-port", "0");
        flags.put("network.hazelcast-port", Integer.toString(hazelcastPort));
        flags.put("network.members", String.join(",", members));
        flags.put("cluster.name", cluster);
        flags.put("cluster.secret", secret);
        flags.put("store.data", data.toString());
        return flags;
    }
}
