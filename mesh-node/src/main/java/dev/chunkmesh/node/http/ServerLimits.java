package dev.chunkmesh.node.http;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The time bounds of every HTTP server of a node (mirror, peer API, admin API).
 *
 * @param headTimeout how long a connection may take to send a request's head, after it opens or
 *     after its last response ended ({@link HeadDeadline}); also how long a kept-alive connection may idle
 * @param idleTimeout how long a connection may send and receive nothing at all, whatever it is doing
 */
public record ServerLimits(Duration headTimeout, Duration idleTimeout) {
    /** 20 s for a request's head, 5 minutes without a byte either way. */
    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(20), Duration.ofMinutes(5));

    public ServerLimits {
        Objects.requireNonNull(headTimeout, "headTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (headTimeout.toMillis() < 1000 || idleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("network.header-timeout and network.idle-timeout must be at least 1s, got "
                    + headTimeout + " and " + idleTimeout);
        }
    }

    /** {@code options} with the idle timeout set. */
    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setIdleTimeout((int) Math.max(1, idleTimeout.toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
}
