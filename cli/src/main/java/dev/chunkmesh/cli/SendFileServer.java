package dev.chunkmesh.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The least any Vert.x server does to serve a file: one {@code sendFile} of it whole, on the same
 * transport the node uses (epoll where it is available). A bench reference for the node's own HTTP
 * stack, not part of the node.
 */
final class SendFileServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private SendFileServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Serves {@code file} at every path on a free loopback port. */
    static SendFileServer start(Path file) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(req -> req.response().putHeader("Content-Type", "application/octet-stream").sendFile(file.toString()))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new SendFileServer(vertx, server);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/blob";
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
