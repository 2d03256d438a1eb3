package dev.chunkmesh.node.peer;

import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.tls.TlsFiles;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the peer API listens and the secret it demands.
 *
 * @param host the address to bind (the node's private address; loopback in tests)
 * @param port the port, or 0 for any free one
 * @param clusterSecret shared by all nodes of the mesh; at least 16 characters
 * @param tls when present, the API is served over TLS and every peer must present a certificate
 *     signed by the mesh CA (mTLS); the files are re-read when they change
 * @param limits the server's time bounds
 * @param uploadSlots chunk requests served at once; one more is answered 503 with Retry-After (busy)
 */
public record PeerServerConfig(String host, int port, String clusterSecret, Optional<TlsFiles> tls, ServerLimits limits, int uploadSlots) {
    /** Upload slots when none are configured ({@code pull.upload-slots}' default). */
    public static final int DEFAULT_UPLOAD_SLOTS = 8;

    /** Plain HTTP with the cluster secret only, default limits. */
    public PeerServerConfig(String host, int port, String clusterSecret) {
        this(host, port, clusterSecret, Optional.empty());
    }

    /** Default limits. */
    public PeerServerConfig(String host, int port, String clusterSecret, Optional<TlsFiles> tls) {
        this(host, port, clusterSecret, tls, ServerLimits.DEFAULTS);
    }

    /** {@link #DEFAULT_UPLOAD_SLOTS} upload slots. */
    public PeerServerConfig(String host, int port, String clusterSecret, Optional<TlsFiles> tls, ServerLimits limits) {
        this(host, port, clusterSecret, tls, limits, DEFAULT_UPLOAD_SLOTS);
    }

    public PeerServerConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(host, "host");
        if (uploadSlots < 1) {
            throw new IllegalArgumentException("upload slots must be >= 1, got " + uploadSlots);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peer port must be 0-65535, got " + port);
        }
        if (clusterSecret == null || clusterSecret.length() < 16) {
            throw new IllegalArgumentException("the cluster secret must have at least 16 characters");
        }
    }

    @Override
    public String toString() {
        return "PeerServerConfig[" + host + ":" + port + ", secret hidden, " + (tls.isPresent() ? "mTLS" : "plain HTTP") + "]";
    }
}
