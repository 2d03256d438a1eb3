package dev.chunkmesh.node.http;

import java.util.Objects;

/**
 * Where one of the node's HTTP servers listens, and the time bounds its connections get.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 takes any free port (tests)
 * @param limits the time bounds of the server's connections
 */
public record Endpoint(String host, int port, ServerLimits limits) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0..65535, got " + port);
        }
    }
}
