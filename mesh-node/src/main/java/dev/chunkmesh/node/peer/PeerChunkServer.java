package dev.chunkmesh.node.peer;

import dev.chunkmesh.node.http.HeadDeadline;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Serves the node's chunk store to its peers ({@link PeerApi}). Store reads run on worker threads;
 * every frame served has been verified on the way out of the store. Started once it listens.
 */
public final class PeerChunkServer extends VerticleBase {

    private final ChunkStore store;
    private final PeerServerConfig config;
    private final RecipeBoard recipes;
    private final ServeStats stats;
    private final PeerAuth auth;
    private final LowerTiers lowerTiers;
    private final PeerAuth lowerTiersAuth;
    /** How often the TLS files are looked at for a rotated certificate. */
    static final long RELOAD_CHECK_MILLIS = 2000;
    private HttpServer server;
    private long reloadTimer = -1;
    private HeadDeadline deadline;

    /** A server that knows no recipes and serves no lower tier, checking signatures against the system clock (tests). */
    public PeerChunkServer(ChunkStore store, PeerServerConfig config) {
        this(store, config, RecipeBoard.NONE, new ServeStats(), LowerTiers.NONE, config.clusterSecret(), Clock.systemUTC());
    }

    /**
     * @param lowerTiers serves the POPs that name this one as their upper tier
     * @param lowerTiersSecret what their requests must be signed with ({@code tiers.lower-secret})
     * @param clock what a request's signature time is checked against
     */
    public PeerChunkServer(ChunkStore store, PeerServerConfig config, RecipeBoard recipes, ServeStats stats, LowerTiers lowerTiers,
                           String lowerTiersSecret, Clock clock) {
        this.lowerTiers = Objects.requireNonNull(lowerTiers, "lowerTiers");
        this.lowerTiersAuth = new PeerAuth(lowerTiersSecret, clock);
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.recipes = Objects.requireNonNull(recipes, "recipes");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.auth = new PeerAuth(config.clusterSecret(), clock);
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = config.limits().apply(new HttpServerOptions().setHttp2ClearTextEnabled(false));
        if (config.tls().isPresent()) {
            var ssl = config.tls().get().server();
            options.setSsl(true).setKeyCertOptions(ssl.getKeyCertOptions()).setTrustOptions(ssl.getTrustOptions())
                    .setClientAuth(ssl.getClientAuth());
            String[] stamp = {config.tls().get().stamp()};
            reloadTimer = vertx.setPeriodic(RELOAD_CHECK_MILLIS, t -> vertx.executeBlocking(() -> config.tls().get().stamp(), false)
                    .onSuccess(now -> {
                        if (!now.equals(stamp[0]) && server != null) {
                            stamp[0] = now;
                            server.updateSSLOptions(config.tls().get().server());
                        }
                    }));
        }
        deadline = new HeadDeadline(vertx, config.limits().headTimeout());
        return deadline.serve(vertx.createHttpServer(options), router()).listen(config.port(), config.host()).onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(reloadTimer);
        if (deadline != null) {
            deadline.close();
        }
        return Future.succeededFuture();
    }

    /** The port it listens on (useful when configured with 0). */
    public int port() {
        return server.actualPort();
    }

    private Router router() {
        Router r = Router.router(vertx);
        r.post(PeerApi.CHUNKS).handler(BodyHandler.create(false).setBodyLimit(PeerApi.MAX_BATCH * 80L));
        r.route(PeerApi.CHUNKS + "*").handler(this::authenticate);
        r.route(PeerApi.RECIPES + "*").handler(this::authenticate);
        r.route(TierPath.PREFIX + "/*").handler(this::authenticateTier);
        r.get(PeerApi.RECIPES + "/:digest").handler(this::recipe);
        r.get(PeerApi.CHUNKS + "/:digest").handler(this::getChunk);
        r.head(PeerApi.CHUNKS + "/:digest").handler(this::headChunk);
        r.post(PeerApi.CHUNKS).handler(this::batch);
        r.route().failureHandler(PeerErrors::handle);
        return r;
    }

    /** Lets through only requests signed with the cluster secret for this node's address ({@link PeerAuth}). */
    private void authenticate(RoutingContext ctx) {
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String self = config.host() + ":" + server.actualPort();
        if (!auth.check(ctx.request().getHeader(PeerAuth.HEADER), ctx.request().method().name(), ctx.request().uri(), self, body)) {
            ctx.fail(401, new PeerErrors.Unauthorized());
            return;
        }
        ctx.next();
    }

    /**
     * A lower tier dials this node by the address its configuration names (an address or a DNS name),
     * so its signature (made with the tier secret, not the cluster secret) is checked for the host and
     * port the request was sent to; the request then
     * goes to the mirror, which fetches what this POP lacks once for all the tiers below.
     */
    private void authenticateTier(RoutingContext ctx) {
        var req = ctx.request();
        String sentTo = req.authority() == null ? "" : req.authority().host() + ":"
                + (req.authority().port() > 0 ? req.authority().port() : req.isSSL() ? 443 : 80);
        if (!lowerTiersAuth.check(req.getHeader(PeerAuth.HEADER), req.method().name(), req.uri(), sentTo, new byte[0])) {
            ctx.fail(401, new PeerErrors.Unauthorized());
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            ctx.response().setStatusCode(405).end("a tier is read-only: " + req.method() + " is not served");
            return;
        }
        if (req.uri().startsWith(TierPath.RECIPES)) {
            Digest blob = Digest.parse(req.uri().substring(TierPath.RECIPES.length()));
            vertx.executeBlocking(() -> lowerTiers.recipe(blob), false).onSuccess(r -> {
                if (r.isEmpty()) {
                    ctx.response().setStatusCode(404).end("no recipe for " + blob);
                } else {
                    ctx.response().putHeader("Content-Type", "application/json").end(PeerApi.encode(new RecipePrefix(r.get().chunks(), true,
                            r.get().size())));
                }
            }).onFailure(ctx::fail);
            return;
        }
        TierPath path = TierPath.parse(req.uri());
        if (path.access()) {
            lowerTiers.access(req, path);
        } else {
            lowerTiers.serve(req, path);
        }
    }

    /**
     * Takes an upload slot for a chunk request until its response is sent (or fails), or answers 503 with
     * Retry-After (busy) when all {@link PeerServerConfig#uploadSlots()} are taken, so the asking node turns
     * to another holder.
     */
    private boolean slot(RoutingContext ctx) {
        if (stats.tryBegin(config.uploadSlots())) {
            ctx.addEndHandler(done -> stats.release());
            return true;
        }
        ctx.response().setStatusCode(503).putHeader(PeerApi.RETRY_AFTER, "1")
                .end("all " + config.uploadSlots() + " upload slots are taken; ask another holder");
        return false;
    }

    private void getChunk(RoutingContext ctx) {
        Digest d = Digest.parse(ctx.pathParam("digest"));
        if (!slot(ctx)) {
            return;
        }
        vertx.executeBlocking(() -> store.getFrameBuffer(d), false).andThen(r -> stats.served(r.succeeded() ? r.result().remaining() : 0))
                .onSuccess(frame -> ctx.response().putHeader("Content-Type", "application/octet-stream")
                        .end(BufferInternal.buffer(Unpooled.wrappedBuffer(frame))))
                .onFailure(ctx::fail);
    }

    private void headChunk(RoutingContext ctx) {
        Digest d = Digest.parse(ctx.pathParam("digest"));
        vertx.executeBlocking(() -> store.has(d), false).onSuccess(held -> ctx.response().setStatusCode(held ? 200 : 404).end())
                .onFailure(ctx::fail);
    }

    private void batch(RoutingContext ctx) {
        List<Digest> digests = new ArrayList<>();
        for (String line : ctx.body().asString(StandardCharsets.US_ASCII.name()).split("\n")) {
            if (!line.isBlank()) {
                digests.add(Digest.parse(line.strip()));
            }
        }
        if (digests.size() > PeerApi.MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds at most " + PeerApi.MAX_BATCH + " digests, got " + digests.size());
        }
        if (!slot(ctx)) {
            return;
        }
        vertx.executeBlocking(() -> batchAnswer(digests), false).andThen(r -> stats.served(r.succeeded() ? r.result().length() : 0))
                .onSuccess(out -> ctx.response().putHeader("Content-Type", "application/octet-stream").end(out)).onFailure(ctx::fail);
    }

    /**
     * The answer to a batch: for each chunk held, its digest, its frame's length and the frame, which is a
     * view of the store (not a copy) where the store can; all of it off-heap, so it goes to the socket in
     * one gathering write. Chunks not held (any more) are left out.
     */
    private Buffer batchAnswer(List<Digest> digests) {
        ByteBuf heads = Unpooled.directBuffer(digests.size() * PeerApi.BATCH_HEAD);
        CompositeByteBuf out = Unpooled.compositeBuffer(2 * digests.size());
        for (Digest d : digests) {
            ByteBuffer frame;
            try {
                frame = store.getFrameBuffer(d);
            } catch (ChunkMissingException | ChunkCorruptException absent) {
                continue;
            }
            int at = heads.writerIndex();
            heads.writeBytes(d.bytes()).writeInt(frame.remaining());
            out.addComponent(true, heads.retainedSlice(at, PeerApi.BATCH_HEAD));
            out.addComponent(true, frame.isDirect() ? Unpooled.wrappedBuffer(frame) : Unpooled.directBuffer(frame.remaining()).writeBytes(frame));
        }
        heads.release();
        return BufferInternal.buffer(out);
    }

    private void recipe(RoutingContext ctx) {
        Digest blob = Digest.parse(ctx.pathParam("digest"));
        int from = PeerApi.parseFrom(ctx.request().getParam("from"));
        vertx.executeBlocking(() -> recipes.prefix(blob, from), false).onSuccess(p -> {
            if (p.isEmpty()) {
                ctx.response().setStatusCode(404).end("no recipe for " + blob);
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(PeerApi.encode(p.get()));
            }
        }).onFailure(ctx::fail);
    }
}
