package dev.chunkmesh.node.origin;

import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.peer.PeerApi;
import dev.chunkmesh.node.peer.PeerAuth;
import dev.chunkmesh.node.peer.RecipePrefix;
import dev.chunkmesh.node.peer.TierPath;
import dev.chunkmesh.node.tls.JdkTls;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.registry.HttpSettings;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upper tier of this node's POP (a region) standing in for the origin: the peer APIs of its nodes,
 * which serve the registry API under {@code /tier} ({@link TierPath}) and fetch what their POP lacks
 * once for every POP below. Each call goes to one of its nodes, picked by rendezvous hashing on what
 * is asked (so the requests for one blob meet at one node), and moves to the next node when one cannot
 * be reached or answers 5xx or wrongly; a 404 or another 4xx is an answer. Requests are signed with the
 * cluster secret for the address dialled ({@link PeerAuth}), over mTLS when the node has it (the
 * upper node's certificate must name the address dialled). Calls block: run them on worker threads.
 */
public final class UpperTier {
    private static final long RELOAD_CHECK_NANOS = 2_000_000_000L;
    private static final int MAX_VIEWS = 256;

    private final List<String> nodes;
    private final PeerAuth auth;
    private final Optional<TlsFiles> tls;
    private final Bandwidth bandwidth;
    private final Duration idle;
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Map<Optional<String>, Origin> views = new ConcurrentHashMap<>();
    private HttpClient http;
    private HttpSettings settings;
    private String stamp = "";
    private long checkedAt;

    /**
     * @param nodes the upper tier's peer API addresses, {@code host:port}
     * @param idle a blob body silent for this long fails its reader
     * @param clock what the requests' signatures are timed by
     */
    public UpperTier(List<String> nodes, String secret, Optional<TlsFiles> tls, Bandwidth bandwidth, Duration idle, Clock clock) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("an upper tier needs at least one node address");
        }
        this.nodes = List.copyOf(nodes);
        this.auth = new PeerAuth(secret, clock);
        this.tls = tls;
        this.bandwidth = bandwidth;
        this.idle = idle;
    }

    /** The upper tier as the origin for upstream {@code ns} (empty: the default one), or empty if {@code ns} is no host name. */
    public Optional<Origin> origin(Optional<String> ns) {
        try {
            TierPath.prefix(false, ns);
        } catch (IllegalArgumentException notAHost) {
            return Optional.empty();
        }
        if (views.size() >= MAX_VIEWS && !views.containsKey(ns)) {
            return Optional.of(new View(ns));
        }
        return Optional.of(views.computeIfAbsent(ns, View::new));
    }

    /** The upper tier's addresses, as configured. */
    public List<String> nodes() {
        return nodes;
    }

    /** Calls that failed at every node of the upper tier. */
    public long errors() {
        return errors.sum();
    }

    /** Requests sent again to the same node after a connection error or a 5xx. */
    public long retries() {
        return retries.sum();
    }

    private interface Call<T> {
        T run(RegistryClient client) throws IOException;
    }

    private <T> T call(String key, boolean access, Optional<String> ns, Call<T> call) throws IOException {
        IOException last = null;
        for (String node : order(key)) {
            RegistryClient client = client(node, access, ns);
            try {
                return call.run(client);
            } catch (FileNotFoundException notThere) {
                throw new OriginNotFoundException(notThere.getMessage(), notThere);
            } catch (InterruptedIOException answer) {
                throw answer;
            } catch (RegistryException e) {
                if (e.status() >= 400 && e.status() < 500) {
                    throw e;
                }
                last = e;
            } catch (IOException e) {
                last = e;
            } finally {
                retries.add(client.retries());
            }
        }
        errors.increment();
        throw new IOException("no node of the upper tier " + nodes + " answered: " + last.getMessage(), last);
    }

    /** The nodes, the one this key hashes highest with first. */
    private List<String> order(String key) {
        return nodes.stream().sorted(Comparator.comparingLong((String n) -> mix((key + "|" + n).hashCode())).reversed()).toList();
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private RegistryClient client(String node, boolean access, Optional<String> ns) throws IOException {
        URI base = URI.create((tls.isPresent() ? "https" : "http") + "://" + node + TierPath.prefix(access, ns));
        return new RegistryClient(base, Optional.empty(), settings(), 2, Duration.ofMillis(200)).withBodyIdleTimeout(idle)
                .withSigner((request, method, uri) -> request.header(PeerAuth.HEADER, auth.sign(method,
                        uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), uri.getHost() + ":" + uri.getPort(),
                        new byte[0])));
    }

    /**
     * The complete recipe of {@code blob} that a node of the upper tier or its POP holds, asked of the
     * node this blob hashes to first; empty if none has one or answers anything usable.
     */
    private Optional<Recipe> recipeAbove(Digest blob) {
        String path = TierPath.RECIPES + blob;
        for (String node : order(blob.toString())) {
            try {
                URI uri = URI.create((tls.isPresent() ? "https" : "http") + "://" + node + path);
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                        .header(PeerAuth.HEADER, auth.sign("GET", path, uri.getHost() + ":" + uri.getPort(), new byte[0])).build();
                HttpResponse<String> r = http().send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    RecipePrefix p = PeerApi.decode(node, r.body());
                    return p.complete() ? Optional.of(new Recipe(blob, p.size(), p.chunks())) : Optional.empty();
                }
            } catch (IOException | RuntimeException unusable) {
                // the next node, or no recipe: the blob then streams whole
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The HTTP client, built again when the TLS files change (a rotated certificate). */
    private synchronized HttpClient http() throws IOException {
        long now = System.nanoTime();
        if (http == null || (tls.isPresent() && now - checkedAt > RELOAD_CHECK_NANOS)) {
            checkedAt = now;
            String current = tls.map(TlsFiles::stamp).orElse("");
            if (http == null || !current.equals(stamp)) {
                HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
                if (tls.isPresent()) {
                    b.sslContext(JdkTls.context(tls.get()));
                }
                http = b.build();
                settings = new HttpSettings(Duration.ofSeconds(5), tls.isPresent() ? Optional.of(http.sslContext().getSocketFactory())
                        : Optional.empty(), false);
                stamp = current;
            }
        }
        return http;
    }

    /** How the registry client connects, with the TLS of {@link #http()}: one socket factory, so connections are kept alive. */
    private synchronized HttpSettings settings() throws IOException {
        http();
        return settings;
    }

    /** The upper tier for one upstream. */
    private final class View implements Origin {
        private final Optional<String> ns;

        View(Optional<String> ns) {
            this.ns = ns;
        }

        @Override
        public SourceKind source() {
            return SourceKind.PARENT;
        }

        @Override
        public Optional<Recipe> recipe(String repository, Digest blob) {
            return recipeAbove(blob);
        }

        @Override
        public ImageSource.Fetched manifest(String repository, String reference) throws IOException {
            return call(repository + ":" + reference, false, ns, c -> c.manifest(repository, reference));
        }

        @Override
        public ImageSource.Fetched manifest(String repository, String reference, String accept) throws IOException {
            return call(repository + ":" + reference, false, ns, c -> c.manifest(repository, reference, accept));
        }

        @Override
        public Access access(String repository, String path, Optional<String> authorization) throws IOException {
            RegistryClient.Access a = call(repository, true, ns, c -> c.access(repository, path, authorization));
            return new Access(a.status(), a.challenge());
        }

        @Override
        public long size(String repository, Digest blob) throws IOException {
            return call(blob.toString(), false, ns, c -> c.blobSize(repository, blob));
        }

        @Override
        public InputStream blobFrom(String repository, Digest blob, long offset) throws IOException {
            return Origin.throttled(call(blob.toString(), false, ns, c -> c.blobFrom(repository, blob, offset)), bandwidth);
        }

        @Override
        public byte[] range(String repository, Digest blob, long offset, int length) throws IOException {
            byte[] bytes = call(blob.toString(), false, ns, c -> c.blobRange(repository, blob, offset, length));
            bandwidth.charge(bytes.length);
            return bytes;
        }
    }
}
