package dev.chunkmesh.node.origin;

import dev.chunkmesh.registry.Credentials;
import dev.chunkmesh.registry.RegistryClient;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The origins a node pulls from: a default one, and one per upstream host that runtimes name
 * (containerd adds {@code ?ns=<host>} to mirror requests). An upstream the node was not configured
 * for is refused, never guessed. In a POP with an upper tier, every upstream is reached through that
 * tier, which refuses the ones it does not know. All share the node's origin bandwidth.
 */
public final class Upstreams {
    private final Origin defaultOrigin;
    private final Map<String, Origin> byHost;
    private final Optional<UpperTier> upper;

    public Upstreams(Origin defaultOrigin, Map<String, Origin> byHost) {
        this.defaultOrigin = defaultOrigin;
        this.byHost = Map.copyOf(byHost);
        this.upper = Optional.empty();
    }

    private Upstreams(UpperTier upper) {
        this.upper = Optional.of(upper);
        this.defaultOrigin = upper.origin(Optional.empty()).orElseThrow();
        this.byHost = Map.of();
    }

    /** Every origin reached through {@code upper}, the POP's upper tier, which refuses the upstreams it does not know. */
    public static Upstreams throughUpperTier(UpperTier upper) {
        return new Upstreams(upper);
    }

    /** A registry as an origin, whose blob bodies give up after {@code idle} without a byte (the pull's stall timeout). */
    public static Origin registry(URI url, Optional<String> user, Optional<String> password, Bandwidth shared, Duration idle) {
        Optional<Credentials> creds = user.map(u -> new Credentials(u, password.orElse("")));
        return new RegistryOrigin(RegistryClient.of(url, creds).withBodyIdleTimeout(idle), shared);
    }

    /** Origin requests that failed, over all origins (or at every node of the upper tier). */
    public long errors() {
        return all().mapToLong(RegistryOrigin::errors).sum() + upper.map(UpperTier::errors).orElse(0L);
    }

    /** Origin requests retried, over all origins (or nodes of the upper tier). */
    public long retries() {
        return all().mapToLong(RegistryOrigin::retries).sum() + upper.map(UpperTier::retries).orElse(0L);
    }

    /** The upper tier this POP takes its content from instead of an origin, if it has one. */
    public Optional<UpperTier> upperTier() {
        return upper;
    }

    private Stream<RegistryOrigin> all() {
        return Stream.concat(Stream.of(defaultOrigin), byHost.values().stream())
                .filter(o -> o instanceof RegistryOrigin).map(o -> (RegistryOrigin) o);
    }

    public Origin defaultOrigin() {
        return defaultOrigin;
    }

    /** The origin for a request naming upstream {@code ns}, the default one if it names none, empty if unknown. */
    public Optional<Origin> forNamespace(Optional<String> ns) {
        if (ns.isEmpty() || ns.get().isBlank()) {
            return Optional.of(defaultOrigin);
        }
        if (upper.isPresent()) {
            return upper.get().origin(Optional.of(ns.get().toLowerCase(Locale.ROOT)));
        }
        return Optional.ofNullable(byHost.get(ns.get().toLowerCase(Locale.ROOT)));
    }
}
