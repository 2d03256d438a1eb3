package dev.chunkmesh.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * How a {@link RegistryClient} connects: the connect timeout, the TLS socket factory for {@code https} (the JDK's
 * default trust when empty; give the same factory to every client that should share kept-alive connections, as the
 * JDK keeps them per host and factory), and whether redirects of GET and HEAD are followed (never from https to http,
 * and without the request's Authorization or signature once they lead to another host).
 */
public record HttpSettings(Duration connectTimeout, Optional<SSLSocketFactory> tls, boolean followRedirects) {

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /** 10 s to connect, the JDK's default trust, redirects followed. */
    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(10), Optional.empty(), true);
    }
}
