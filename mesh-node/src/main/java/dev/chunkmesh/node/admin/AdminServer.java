package dev.chunkmesh.node.admin;

import dev.chunkmesh.catalog.Names;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.http.Endpoint;
import dev.chunkmesh.node.http.HeadDeadline;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.pull.BatchPull;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.node.pull.PullReport;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.node.registry.ImageNames;
import dev.chunkmesh.store.Digest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The node's admin API, on its own port:
 *
 * <pre>
 *   GET  /healthz       200 once the node has joined its POP ("ok", or "degraded" with its problems), 503 before
 *   GET  /dashboard     the POP as this node sees it, live (a page of its own: no CDN, no external asset)
 *   GET  /metrics       Prometheus text
 *   GET  /v1/status     the POP as this node sees it: members, health, holdings, store
 *   POST /v1/pull       {"repository":"team/app","reference":"v1"|"sha256:…"} pulls an image's blobs,
 *                       {"repository":"team/app","blob":"sha256:…"} one blob
 *   POST /v1/prefetch   body: a signed catalog; verified against catalog.trusted-keys, then every blob
 *                       of the release is pulled
 * </pre>
 *
 * With a token ({@code admin.token-file}), every request but {@code GET /healthz}, {@code /dashboard} and
 * {@code /metrics} needs {@code Authorization: Bearer <token>}, checked before any body is read. Bodies are read into
 * memory up to {@code admin.max-body} (64 KiB for a pull), never onto disk; a larger one gets 413.
 *
 * Pull and prefetch answer with newline-delimited JSON: {@code progress} events four times a second,
 * then one {@code done} (bytes by source, per-blob reports) or {@code error} event.
 */
public final class AdminServer extends VerticleBase {
    private static final Buffer DASHBOARD = dashboardPage();
    private static final long PULL_BODY = 64 * 1024;

    /**
     * Exactly what the admin API reads and drives of its node.
     *
     * @param origin where a pull asked for by the admin API fetches what the POP lacks
     * @param names learns which image a pulled blob belongs to
     * @param gossip the workers that may wait on Hazelcast, where the status is rendered
     */
    public record Parts(NodeStanding standing, NodeMetrics metrics, PullService pulls, Origin origin, ImageNames names,
                        StatusJson status, Prefetch prefetch, WorkerExecutor gossip) {
        public Parts {
            Objects.requireNonNull(standing, "standing");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(pulls, "pulls");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(names, "names");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(prefetch, "prefetch");
            Objects.requireNonNull(gossip, "gossip");
        }
    }

    private final Parts node;
    private final Endpoint at;
    private final Optional<AdminToken> token;
    private final long maxBody;
    private HttpServer server;
    private HeadDeadline deadline;

    /**
     * @param token the bearer token every request but the open ones needs ({@code admin.token-file}); empty for none
     * @param maxBody the largest request body taken, in bytes ({@code admin.max-body})
     */
    public AdminServer(Parts node, Endpoint at, Optional<AdminToken> token, long maxBody) {
        this.node = Objects.requireNonNull(node, "node");
        this.at = Objects.requireNonNull(at, "at");
        this.token = Objects.requireNonNull(token, "token");
        this.maxBody = maxBody;
    }

    @Override
    public Future<?> start() {
        deadline = new HeadDeadline(vertx, at.limits().headTimeout());
        return deadline.serve(vertx.createHttpServer(at.limits().apply(new HttpServerOptions().setHttp2ClearTextEnabled(false))), router())
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

    private Router router() {
        Router r = Router.router(vertx);
        r.get("/healthz").handler(this::health);
        r.get("/metrics").handler(this::metrics);
        r.get("/dashboard").handler(this::dashboard);
        r.get("/").handler(ctx -> ctx.redirect("/dashboard"));
        r.route().handler(this::authorize);
        r.get("/v1/status").handler(this::status);
        r.post("/v1/pull").handler(body(PULL_BODY)).handler(this::pull);
        r.post("/v1/prefetch").handler(body(maxBody)).handler(this::prefetch);
        r.route().failureHandler(AdminErrors::handle);
        return r;
    }

    /** Lets a request on only if the node has no token or the request carries it. */
    private void authorize(RoutingContext ctx) {
        if (token.isEmpty() || token.get().matches(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            ctx.fail(AdminErrors.unauthorized());
        }
    }

    /** Reads a body of at most {@code limit} bytes into memory; form uploads are never written to disk. */
    private static BodyHandler body(long limit) {
        return BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false);
    }

    /**
     * 503 "not joined" until the node is in its POP; then 200, with "ok" or "degraded" and the
     * problems that make it so (the node still serves what it and its POP hold, so it stays ready).
     */
    private void health(RoutingContext ctx) {
        boolean up = node.standing().joined();
        List<String> problems = node.standing().problems();
        String status = !up ? "not joined" : problems.isEmpty() ? "ok" : "degraded";
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", status).put("node", node.standing().self().id().name())
                        .put("problems", new JsonArray(problems)).encode());
    }

    private void dashboard(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-cache").end(DASHBOARD);
    }

    private void metrics(RoutingContext ctx) {
        blocking(() -> node.metrics().scrape()).onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail);
    }

    private void status(RoutingContext ctx) {
        node.gossip().executeBlocking(node.status()::render, false)
                .onSuccess(json -> ctx.response().putHeader("Content-Type", "application/json").end(json.encodePrettily()))
                .onFailure(ctx::fail);
    }

    private void pull(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        if (body == null) {
            throw new IllegalArgumentException("expected a JSON body such as {\"repository\":\"team/app\",\"reference\":\"v1\"}");
        }
        String repository = Names.requireRepository(body.getString("repository"));
        String blob = body.getString("blob");
        String reference = body.getString("reference");
        if ((blob == null) == (reference == null)) {
            throw new IllegalArgumentException("give exactly one of 'reference' (a tag or manifest digest) and 'blob'");
        }
        Callable<List<BlobRequest>> what;
        if (blob != null) {
            Digest d = Digest.parse(blob);
            what = () -> List.of(new BlobRequest(node.origin(), repository, d, -1));
        } else {
            String ref = reference.startsWith(Digest.PREFIX) ? Digest.parse(reference).toString() : Names.requireTag(reference);
            what = () -> {
                List<BlobRequest> blobs = ImageBlobs.of(node.origin(), repository, ref);
                node.names().pulled(repository, ref, blobs.stream().map(BlobRequest::blob).toList());
                return blobs;
            };
        }
        blocking(what).onSuccess(blobs -> stream(ctx, new BatchPull(node.pulls(), blobs))).onFailure(ctx::fail);
    }

    private void prefetch(RoutingContext ctx) {
        byte[] file = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        blocking(() -> node.prefetch().admit(file)).onSuccess(blobs -> stream(ctx, new BatchPull(node.pulls(), blobs))).onFailure(ctx::fail);
    }

    /** Streams progress lines until the batch ends, then its outcome. */
    private void stream(RoutingContext ctx, BatchPull batch) {
        HttpServerResponse out = ctx.response().setChunked(true).putHeader("Content-Type", "application/x-ndjson");
        long timer = vertx.setPeriodic(250, t -> out.write(progress(batch).encode() + "\n"));
        out.write(progress(batch).encode() + "\n");
        Future.fromCompletionStage(batch.result(), vertx.getOrCreateContext()).onComplete(r -> {
            vertx.cancelTimer(timer);
            if (r.succeeded()) {
                out.end(done(r.result()).encode() + "\n");
            } else {
                out.end(new JsonObject().put("event", "error").put("status", AdminErrors.status(r.cause()))
                        .put("message", AdminErrors.message(r.cause())).encode() + "\n");
            }
        });
    }

    private static JsonObject progress(BatchPull b) {
        return new JsonObject().put("event", "progress").put("done", b.doneBytes()).put("total", b.totalBytes()).put("blobs", b.blobs());
    }

    private static JsonObject done(BatchPull.Result r) {
        JsonArray blobs = new JsonArray();
        for (PullReport p : r.blobs()) {
            blobs.add(new JsonObject().put("blob", p.blob().toString()).put("size", p.size()).put("seconds", p.time().toNanos() / 1e9)
                    .put("first_to_chunk", p.firstToChunk()).put("bad_peers", p.badPeers()).put("bytes", StatusJson.bytes(p.bytesBySource())));
        }
        return new JsonObject().put("event", "done").put("seconds", r.seconds()).put("bytes", StatusJson.bytes(r.bytesBySource())).put("blobs", blobs);
    }


    private static Buffer dashboardPage() {
        try (InputStream in = AdminServer.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
