package dev.chunkmesh.cli.bench;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The least any Vert.x server does to serve a file, on the same transport the node uses (epoll where
 * it is available), two ways: one {@code sendFile} of it whole ({@code /sendfile}), and writes of
 * 256 KiB views of the file mapped into memory, as the write queue allows ({@code /mapped}). A bench
 * reference for the node's own HTTP stack, not part of the node.
 */
final class SendFileServer implements AutoCloseable {
    private static final int PIECE = 256 * 1024;

    private final Vertx vertx;
    private final HttpServer server;

    private SendFileServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Serves {@code file} (at most 2 GiB) on a free loopback port. */
    static SendFileServer start(Path file) throws Exception {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException(file + " is over 2 GiB");
            }
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(req -> {
                    HttpServerResponse res = req.response().putHeader("Content-Type", "application/octet-stream");
                    if (req.path().equals("/mapped")) {
                        res.putHeader("Content-Length", Integer.toString(map.capacity()));
                        writeFrom(res, map, 0);
                    } else {
                        res.sendFile(file.toString());
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new SendFileServer(vertx, server);
    }

    private static void writeFrom(HttpServerResponse res, MappedByteBuffer map, int from) {
        if (res.ended() || res.closed()) {
            return; // a drain after the end, or the client went away
        }
        int pos = from;
        while (pos < map.capacity() && !res.writeQueueFull()) {
            int n = Math.min(PIECE, map.capacity() - pos);
            res.write(BufferInternal.buffer(Unpooled.wrappedBuffer(map.slice(pos, n))));
            pos += n;
        }
        if (pos >= map.capacity()) {
            res.end();
            return;
        }
        int next = pos;
        res.drainHandler(v -> writeFrom(res, map, next));
    }

    /** The file by one {@code sendFile}. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/sendfile";
    }

    /** The file by writes of mapped views. */
    String mappedUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/mapped";
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
