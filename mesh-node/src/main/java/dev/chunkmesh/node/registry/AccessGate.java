package dev.chunkmesh.node.registry;

import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks, before the mirror hands out anything the mesh holds, that the origin would let this client
 * read this repository: it passes the client's own {@code Authorization} header to the origin (a HEAD
 * of the very manifest or blob asked for) and answers as the origin did. Decisions are kept per
 * (upstream, repository, credentials) for {@code ttl}, so a public repository costs one small request
 * per TTL, not one per blob. When the origin cannot be reached, the last decision stands even if old;
 * with none, access is allowed only if this origin has never asked this node's clients for
 * credentials (a public origin). Blocks: call from worker threads.
 */
final class AccessGate {
    private record Key(String upstream, String repository, Digest credentials) {}

    private record Decision(int status, Optional<String> challenge, Instant until) {}

    private final Duration ttl;
    private final Clock clock;
    private final Map<Key, Decision> decisions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> challenged = new ConcurrentHashMap<>();

    AccessGate(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Returns if the client may read {@code path} of {@code repository}.
     *
     * @throws RegistryError 401 (with the origin's challenge), 403 or 404 as the origin answered, or 503
     */
    void check(String upstream, Origin origin, String repository, String path, Optional<String> authorization) {
        Key key = new Key(upstream, repository, Digest.sha256(authorization.orElse("").getBytes(StandardCharsets.UTF_8)));
        Decision d = decisions.get(key);
        if (d == null || !d.until().isAfter(clock.instant())) {
            try {
                Origin.Access a = origin.access(repository, path, authorization);
                if (a.status() == 401) {
                    challenged.put(upstream, true);
                }
                if (a.status() == 200 || a.status() == 401 || a.status() == 403) {
                    d = new Decision(a.status(), a.challenge(), clock.instant().plus(ttl));
                    decisions.put(key, d);
                } else if (a.status() == 404) {
                    throw new RegistryError(404, path.startsWith("/blobs/") ? "BLOB_UNKNOWN" : "MANIFEST_UNKNOWN",
                            "the origin does not have " + path.substring(path.lastIndexOf('/') + 1) + " in " + repository);
                } else if (d == null) {
                    throw new RegistryError(503, "UNAVAILABLE", "the origin answered " + a.status() + " to the access check of " + repository);
                }
            } catch (IOException unreachable) {
                if (d == null && challenged.getOrDefault(upstream, false)) {
                    throw new RegistryError(503, "UNAVAILABLE", "the origin cannot be reached to check access to " + repository);
                }
                if (d == null) {
                    return;
                }
            }
        }
        switch (d.status()) {
            case 200 -> {
            }
            case 401 -> throw new Unauthorized("the origin wants credentials for " + repository, d.challenge());
            default -> throw new RegistryError(403, "DENIED", "the origin refuses these credentials for " + repository);
        }
    }

    /**
     * The {@code /v2/} check: passes the origin's 401 and challenge on, so clients learn to send
     * credentials; an unreachable origin lets the check pass (held content is still checked per repository).
     */
    Void ping(Origin origin, Optional<String> authorization) {
        try {
            Origin.Access a = origin.access("", "", authorization);
            if (a.status() == 401) {
                throw new Unauthorized("the origin wants credentials", a.challenge());
            }
        } catch (IOException unreachable) {
            // answered from what the node holds
        }
        return null;
    }

    /** 401 carrying the origin's challenge, so the client authenticates as it would with the origin. */
    static final class Unauthorized extends RegistryError {
        private final Optional<String> challenge;

        Unauthorized(String message, Optional<String> challenge) {
            super(401, "UNAUTHORIZED", message);
            this.challenge = challenge;
        }

        Optional<String> challenge() {
            return challenge;
        }
    }
}
