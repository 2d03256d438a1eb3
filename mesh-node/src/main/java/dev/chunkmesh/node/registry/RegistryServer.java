package dev.chunkmesh.node.registry;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.node.http.HeadDeadline;
import dev.chunkmesh.node.http.Endpoint;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.origin.Upstreams;
import dev.chunkmesh.node.peer.LowerTiers;
import dev.chunkmesh.node.peer.TierPath;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import dev.chunkmesh.node.pull.PullReport;
import dev.chunkmesh.store.ChunkRef;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's read-only OCI registry mirror: {@code GET /v2/}, {@code GET}/{@code HEAD} manifests and
 * blobs (with single {@code Range}s), for containerd ({@code hosts.toml}), skopeo and docker. Manifests
 * come from the origin byte for byte ({@link ManifestCache}); blobs come through the mesh and stream
 * out as their chunks land ({@link BlobStreamer}). {@code ?ns=<host>} picks the upstream; an unknown
 * one is refused. Nothing is served to a client the origin would refuse: its own credentials are
 * checked at the origin first ({@link AccessGate}). Every failure is answered in the distribution
 * error format ({@link RegistryErrors}).
 */
public final class RegistryServer extends VerticleBase implements LowerTiers {

    /** Hears how each request ended, for metrics and the access log. */
    @FunctionalInterface
    public interface Observer {
        void request(MirrorRequest finished);
    }

    /** Bytes a blob response may have queued for the socket before the streamer waits: several chunks. */
    static final int WRITE_QUEUE_BYTES = 4 << 20;

    /** Larger request heads are refused (431) before any parsing. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    /**
     * What the mirror serves from.
     *
     * @param upstreams the origins, picked by {@code ?ns=}
     * @param manifests manifests as the origin gave them, kept for when it is down
     * @param local the recipes this node holds; {@code pop} those its POP shares
     * @param clock times how long a client's access check at the origin is trusted
     */
    public record Parts(PullService pulls, Upstreams upstreams, ManifestCache manifests, ChunkStore store, Recipes local, Recipes pop,
                        Clock clock) {
        public Parts {
            Objects.requireNonNull(pulls, "pulls");
            Objects.requireNonNull(upstreams, "upstreams");
            Objects.requireNonNull(manifests, "manifests");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(pop, "pop");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final PullService pulls;
    private final Upstreams upstreams;
    private final ManifestCache manifests;
    private final ChunkStore store;
    private final Recipes local;
    private final Recipes pop;
    private final Endpoint at;
    private final LongAdder bytesServed = new LongAdder();
    private final Observer observer;
    private final AccessGate access;
    private HttpServer server;
    private HeadDeadline deadline;

    /** {@code accessTtl}: how long the origin's answer to a client's access check is trusted; {@code observer} hears every request. */
    public RegistryServer(Parts parts, Endpoint at, Duration accessTtl, Observer observer) {
        this.at = Objects.requireNonNull(at, "at");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.access = new AccessGate(accessTtl, parts.clock());
        this.pulls = parts.pulls();
        this.upstreams = parts.upstreams();
        this.manifests = parts.manifests();
        this.store = parts.store();
        this.local = parts.local();
        this.pop = parts.pop();
    }

    @Override
    public Future<?> start() {
        // HTTP/1.1 only, as containerd, Docker, podman and skopeo speak to a cleartext mirror. Vert.x's upgrade to cleartext
        // HTTP/2 (h2c) sent about one large blob in a hundred with its DATA frames broken (RegistryMirrorTest); a client that
        // asks for the upgrade is answered in HTTP/1.1.
        HttpServerOptions options = at.limits().apply(new HttpServerOptions().setMaxHeaderSize(MAX_HEADER_BYTES).setMaxInitialLineLength(4096)
                .setHttp2ClearTextEnabled(false));
        deadline = new HeadDeadline(vertx, at.limits().headTimeout());
        return deadline.serve(vertx.createHttpServer(options).invalidRequestHandler(RegistryErrors::invalidRequest),
                        req -> handle(req, req.uri(), Optional.ofNullable(req.getParam("ns")), false))
                .listen(at.port(), at.host()).onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        if (deadline != null) {
            deadline.close();
        }
        return Future.succeededFuture();
    }

    public int port() {
        return server.actualPort();
    }

    /** Blob bytes sent to clients since the node started. */
    public long bytesServed() {
        return bytesServed.sum();
    }

    /**
     * A lower tier's request, already authenticated by the peer API: served like a client's, but
     * without the client access check (the lower tier's mirror checks its own clients through
     * {@link #access}), and logged with kinds {@code tier-manifest} and {@code tier-blob}.
     */
    @Override
    public void serve(HttpServerRequest req, TierPath path) {
        if (vertx == null) {
            req.response().setStatusCode(503).end("the registry mirror is not started yet");
            return;
        }
        handle(req, path.registryUri(), path.ns(), true);
    }

    /** The recipe this node, or else its POP, holds for {@code blob}. Blocks. */
    @Override
    public Optional<Recipe> recipe(Digest blob) {
        return local.find(blob).or(() -> pop.find(blob));
    }

    /** Answers a lower tier's access check with what the origin answers the client's own {@code Authorization} header. */
    @Override
    public void access(HttpServerRequest req, TierPath path) {
        HttpServerResponse res = req.response();
        try {
            Origin origin = upstreams.forNamespace(path.ns()).orElseThrow(() -> new RegistryError(404, "NAME_UNKNOWN",
                    "upstream '" + path.ns().orElse("") + "' is not configured on this node"));
            RegistryPath p = RegistryPath.parse(path.registryUri());
            String repository = p instanceof RegistryPath.Manifest m ? m.name() : p instanceof RegistryPath.Blob b ? b.name() : "";
            String rest = p instanceof RegistryPath.Manifest m ? "/manifests/" + m.reference()
                    : p instanceof RegistryPath.Blob b ? "/blobs/" + b.digest() : "";
            Optional<String> auth = Optional.ofNullable(req.getHeader("Authorization"));
            vertx.executeBlocking(() -> origin.access(repository, rest, auth), false).onSuccess(a -> {
                a.challenge().ifPresent(c -> res.putHeader("WWW-Authenticate", c));
                res.setStatusCode(a.status()).end();
            }).onFailure(e -> res.setStatusCode(502).end());
        } catch (RuntimeException e) {
            RegistryErrors.respond(res, e);
        }
    }

    private void handle(HttpServerRequest req, String uri, Optional<String> ns, boolean tier) {
        HttpServerResponse res = req.response().putHeader("Docker-Distribution-API-Version", "registry/2.0");
        long start = System.nanoTime();
        SeenRequest seen = new SeenRequest();
        res.endHandler(v -> seen.tell(req, res.getStatusCode(), start, observer));
        res.closeHandler(v -> {
            seen.onClose.run();
            // An HTTP/2 stream may close before its end handler runs: a response that ended was not aborted.
            seen.tell(req, res.ended() ? res.getStatusCode() : 0, start, observer);
        });
        try {
            if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                throw new RegistryError(405, "UNSUPPORTED", "this mirror is read-only: " + req.method() + " is not served");
            }
            RegistryPath path = RegistryPath.parse(uri);
            Origin origin = upstreams.forNamespace(ns).orElseThrow(() -> new RegistryError(404, "NAME_UNKNOWN",
                    "upstream '" + ns.orElse("") + "' is not configured on this node (origin.upstreams)"));
            String upstream = ns.orElse("");
            if (path instanceof RegistryPath.Base) {
                seen.kind = "base";
                base(req, res, origin);
                return;
            }
            if (path instanceof RegistryPath.Manifest m) {
                seen.kind = tier ? "tier-manifest" : "manifest";
                seen.repository = m.name();
                seen.reference = m.reference();
                manifest(req, res, upstream, origin, m, tier);
            } else if (path instanceof RegistryPath.Blob b) {
                seen.kind = tier ? "tier-blob" : "blob";
                seen.repository = b.name();
                seen.reference = b.digest().toString();
                blob(req, res, upstream, origin, b, seen, tier);
            }
        } catch (RuntimeException e) {
            RegistryErrors.respond(res, e);
        }
    }

    /** The version check clients start with; it carries the origin's challenge, so clients know to send credentials. */
    private void base(HttpServerRequest req, HttpServerResponse res, Origin origin) {
        Optional<String> auth = Optional.ofNullable(req.getHeader("Authorization"));
        vertx.executeBlocking(() -> access.ping(origin, auth), false)
                .onSuccess(v -> res.putHeader("Content-Type", "application/json").end("{}"))
                .onFailure(e -> RegistryErrors.respond(res, e));
    }

    private void manifest(HttpServerRequest req, HttpServerResponse res, String upstream, Origin origin, RegistryPath.Manifest m,
                          boolean tier) {
        String accept = AcceptedTypes.parse(req.headers().getAll("Accept")).header();
        Optional<String> auth = Optional.ofNullable(req.getHeader("Authorization"));
        vertx.executeBlocking(() -> {
            if (!tier) {
                access.check(upstream, origin, m.name(), "/manifests/" + m.reference(), auth);
            }
            return manifests.get(upstream, origin, m.name(), m.reference(), accept);
        }, false).onSuccess(f -> {
            res.putHeader("Content-Type", f.mediaType().isEmpty() ? "application/vnd.oci.image.manifest.v1+json" : f.mediaType())
                    .putHeader("Docker-Content-Digest", f.digest().toString())
                    .putHeader("Content-Length", Integer.toString(f.bytes().length));
            if (req.method() == HttpMethod.HEAD) {
                res.end();
            } else {
                res.end(Buffer.buffer(f.bytes()));
            }
        }).onFailure(e -> RegistryErrors.respond(res, RegistryErrors.manifest(e, m)));
    }

    /** What serving a blob starts from: its size and, when this node holds every chunk of it, its recipe. */
    private record Held(long size, Optional<Recipe> recipe) {}

    private void blob(HttpServerRequest req, HttpServerResponse res, String upstream, Origin origin, RegistryPath.Blob b, SeenRequest seen,
                      boolean tier) {
        Optional<String> auth = Optional.ofNullable(req.getHeader("Authorization"));
        vertx.executeBlocking(() -> {
            if (!tier) {
                access.check(upstream, origin, b.name(), "/blobs/" + b.digest(), auth);
            }
            Optional<Recipe> mine = local.find(b.digest()).filter(r -> r.chunks().stream().allMatch(c -> store.has(c.digest())));
            return new Held(mine.isPresent() ? mine.get().size() : size(origin, b), mine);
        }, false).onSuccess(held -> {
            try {
                long size = held.size();
                Optional<ByteRange> range = ByteRange.parse(req.getHeader("Range"), size);
                ByteRange r = range.orElse(new ByteRange(0, size));
                res.putHeader("Docker-Content-Digest", b.digest().toString()).putHeader("Content-Type", "application/octet-stream")
                        .putHeader("Accept-Ranges", "bytes").putHeader("Content-Length", Long.toString(r.length()));
                if (range.isPresent()) {
                    res.setStatusCode(206).putHeader("Content-Range", "bytes " + r.start() + "-" + (r.end() - 1) + "/" + size);
                }
                if (req.method() == HttpMethod.HEAD || r.length() == 0) {
                    res.end();
                    return;
                }
                stream(req, origin, b, seen, held, r, range.isEmpty());
            } catch (RuntimeException e) {
                RegistryErrors.respond(res, e);
            }
        }).onFailure(e -> RegistryErrors.respond(res, RegistryErrors.blob(e, b)));
    }

    /**
     * Streams the blob: straight from the store when this node holds all of it (a local hit, no pull),
     * else through a pull of the POP; a held chunk found unreadable mid-way turns the hit into a pull.
     * A local hit is not hashed again: its recipe was kept only after the whole blob was checked against
     * its digest, a recipe must tile the blob exactly, and each chunk is checked as it is read (its
     * record's CRC32C, written when the chunk's SHA-256 was checked on entry, and its length). A whole
     * blob coming through a pull is hashed by the pull as its chunks land, and its last chunk held back
     * until it matches. A range of a blob not held is served only after its pull has checked the whole
     * blob, from the recipe that pull kept: a range has no end at which a wrong byte could be caught.
     */
    private void stream(HttpServerRequest req, Origin origin, RegistryPath.Blob b, SeenRequest seen, Held held, ByteRange r, boolean whole) {
        HttpServerResponse res = req.response();
        res.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        if (held.recipe().isPresent()) {
            streamHeld(req, origin, b, seen, held.recipe().get(), r);
        } else if (!whole) {
            Context ctx = vertx.getOrCreateContext();
            PullService.Pull p = pulls.pull(origin, b.name(), b.digest());
            seen.pull = p.result();
            p.result().thenCompose(report -> ctx.executeBlocking(() -> local.find(b.digest()).orElseThrow(
                    () -> new IllegalStateException("the pull of " + b.digest() + " kept no recipe")), false).toCompletionStage())
                    .whenComplete((recipe, failed) -> ctx.runOnContext(v -> {
                        if (failed != null) {
                            res.headers().clear();
                            RegistryErrors.respond(res, RegistryErrors.blob(failed, b));
                        } else if (!res.closed()) {
                            streamHeld(req, origin, b, seen, recipe, r);
                        }
                    }));
        } else {
            BlobStreamer.Feed feed = pull(origin, b, seen).get();
            BlobStreamer streamer = new BlobStreamer(vertx.getOrCreateContext(), new RangeReader(store, r), feed, null, res, seen.pull, sent(seen));
            streamer.start();
            seen.onClose = streamer::stop;
        }
    }

    /** Streams {@code r} of a blob this node holds by {@code recipe}, checked chunk by chunk; a chunk found unreadable turns it into a pull. */
    private void streamHeld(HttpServerRequest req, Origin origin, RegistryPath.Blob b, SeenRequest seen, Recipe recipe, ByteRange r) {
        long start = System.nanoTime();
        List<ChunkRef> chunks = recipe.chunks();
        CompletableFuture<PullReport> hit = new CompletableFuture<>();
        seen.pull = hit;
        BlobStreamer streamer = new BlobStreamer(vertx.getOrCreateContext(), new RangeReader(store, r), i -> CompletableFuture.completedFuture(
                i < chunks.size() ? Optional.of(chunks.get(i)) : Optional.empty()), pull(origin, b, seen), req.response(), null, sent(seen));
        streamer.start().thenAccept(ok -> hit.complete(ok && seen.pull == hit
                ? pulls.localHit(b.digest(), recipe.size(), Duration.ofNanos(System.nanoTime() - start)) : null));
        seen.onClose = streamer::stop;
    }

    /** Starts a pull of the POP for the blob once asked: its feed of chunks as they are stored. */
    private Supplier<BlobStreamer.Feed> pull(Origin origin, RegistryPath.Blob b, SeenRequest seen) {
        return () -> {
            PullService.Pull p = pulls.pull(origin, b.name(), b.digest());
            seen.pull = p.result();
            return p.progress()::whenStored;
        };
    }

    private Consumer<Long> sent(SeenRequest seen) {
        return n -> {
            bytesServed.add(n);
            seen.bytes += n;
        };
    }

    /** The blob's size: from a recipe the node or its POP holds, else from the origin. Blocks. */
    private long size(Origin origin, RegistryPath.Blob b) throws Exception {
        Optional<Recipe> r = local.find(b.digest()).or(() -> pop.find(b.digest()));
        if (r.isPresent()) {
            return r.get().size();
        }
        return origin.size(b.name(), b.digest());
    }
}
