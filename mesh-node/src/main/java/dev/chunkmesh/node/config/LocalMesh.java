package dev.chunkmesh.node.config;

import dev.chunkmesh.gossip.hazelcast.MemberPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The settings of one node of this mesh: its name, POP and store, every port but Hazelcast's free,
     * and (if the mesh has members) the members to join.
     */
    public NodeSettings node(String name, String address, String pop, Optional<String> parentPop, int hazelcastPort, Path data) {
        NodeSettings s = new NodeSettings().name(name).pop(pop);
        parentPop.ifPresent(s::parentPop);
        s.bind(address).registryBind(address).adminBind(address).peerPort(0).adminPort(0).registryPort(0).hazelcastPort(hazelcastPort);
        if (!members.isEmpty()) {
            s.members(members);
        }
        return s.cluster(cluster).secret(secret).data(data);
    }
}
