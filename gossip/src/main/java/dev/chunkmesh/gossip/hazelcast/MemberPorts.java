package dev.chunkmesh.gossip.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the Hazelcast members of a mesh on one machine (the demo, tests), which must be known before
 * any member binds, since each lists the others. A port is taken below the kernel's ephemeral range, so
 * the source port of some outgoing connection cannot take it between the choice and the bind (a port
 * from the ephemeral range, freed after a probe, sometimes was).
 */
public final class MemberPorts {
    private static final int LOWEST = 10_000;

    private MemberPorts() {
    }

    /** A port free right now on {@code address}, below the ephemeral range where the machine leaves room for one. */
    public static int free(String address) throws IOException {
        InetAddress at = InetAddress.getByName(address);
        int ephemeralLow = ephemeralLow();
        for (int attempt = 0; ephemeralLow - LOWEST > 1_000 && attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(at, port), 1);
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, at)) {
            return s.getLocalPort();
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), or 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}
