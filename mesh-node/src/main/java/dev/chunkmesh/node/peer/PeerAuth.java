package dev.chunkmesh.node.peer;

import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.store.Digest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Proof that a peer API request comes from a node that holds the cluster secret, without sending the
 * secret: the header {@value #HEADER} carries the request's time and an HMAC ({@link Seal}, purpose
 * "peer api") over its method, path and query, body, time and the address it was sent to. A node
 * accepts only requests addressed to its own peer address and made within {@link #SKEW} of its clock,
 * so whoever receives a request (such as a fake peer advertised through Hazelcast) learns nothing it
 * can use against another node. Thread-safe.
 */
public final class PeerAuth {
    public static final String HEADER = "X-Mesh-Auth";
    /** How far apart the clocks of two nodes of a POP may be. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final String VERSION = "v1";

    private final Seal seal;
    private final Clock clock;

    public PeerAuth(String clusterSecret, Clock clock) {
        this.seal = Seal.of(clusterSecret, "peer api");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The header value for a request of {@code method} to {@code uri} (path and query) at {@code target} (host:port) with {@code body}. */
    public String sign(String method, String uri, String target, byte[] body) {
        String at = Long.toString(clock.millis() / 1000);
        return VERSION + " " + at + " " + seal.tag(VERSION, method, uri, target, at, Digest.sha256(body).hex());
    }

    /** Whether {@code header} proves the request was made by a holder of the secret, for {@code self} (host:port), lately. */
    public boolean check(String header, String method, String uri, String self, byte[] body) {
        if (header == null) {
            return false;
        }
        String[] p = header.split(" ");
        if (p.length != 3 || !p[0].equals(VERSION)) {
            return false;
        }
        try {
            long at = Long.parseLong(p[1]);
            if (Math.abs(clock.millis() / 1000 - at) > SKEW.toSeconds()) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return seal.check(p[2], VERSION, method, uri, self, p[1], Digest.sha256(body).hex());
    }
}
