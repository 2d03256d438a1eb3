package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemberPortsTest {

    @Test
    void aMemberPortIsBindableAndBelowTheEphemeralRangeSoNoOutgoingConnectionCanTakeIt() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int low = Files.isReadable(range) ? Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]) : 32_768;
        for (int i = 0; i < 20; i++) {
            int port = MemberPorts.free("127.0.0.1");
            if (low > 11_000) {
                assertTrue(port >= 10_000 && port < low, port + " lies below the ephemeral range starting at " + low);
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            }
        }
    }
}
