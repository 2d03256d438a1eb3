package dev.chunkmesh.node.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how long a connection to an HTTP server may go without a request to work on: from when it
 * opens, and from when its last HTTP/1 response ended, until the head of its next request has
 * arrived; and how long a request's body may take to arrive. A client that opens connections and
 * drip-feeds their request heads or bodies (slowloris) holds each for at most the limit plus half a
 * second; a connection whose request has arrived whole is never cut by it while it is answered (the
 * server's idle timeout bounds those). Connections are looked at twice a second.
 *
 * <p>A server that also accepts cleartext HTTP/2 (h2c) makes a connection known only once it has
 * decided which protocol the client speaks, which may take the whole first head: there the
 * deadline holds from then on, and for keep-alive waits. The node's own servers (peer, admin, registry mirror) speak
 * HTTP/1.1 only.
 */
public final class HeadDeadline implements AutoCloseable {
    private static final long SWEEP_MILLIS = 500;

    private final Vertx vertx;
    private final long limitNanos;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private final long timer;

    /** What is known of one connection: the response it is on (null before its first request), and since when it waits. */
    private static final class Watch {
        volatile HttpServerRequest request;
        volatile HttpServerResponse last;
        volatile long waitingSince;
        volatile long requestSince;
        volatile boolean multiplexed;

        Watch(long now) {
            waitingSince = now;
        }
    }

    public HeadDeadline(Vertx vertx, Duration limit) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.limitNanos = limit.toNanos();
        if (limitNanos <= 0) {
            throw new IllegalArgumentException("a head deadline must be positive, got " + limit);
        }
        this.timer = vertx.setPeriodic(SWEEP_MILLIS, t -> sweep());
    }

    /** Serves {@code handler} on {@code server} under this deadline; returns the server. */
    public HttpServer serve(HttpServer server, Handler<HttpServerRequest> handler) {
        server.connectionHandler(this::opened);
        return server.requestHandler(req -> {
            Watch w = open.get(req.connection());
            if (w != null) {
                w.request = req;
                w.last = req.response();
                w.requestSince = System.nanoTime();
                w.waitingSince = 0;
                w.multiplexed = req.version() == HttpVersion.HTTP_2;
            }
            handler.handle(req);
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }

    private void opened(HttpConnection c) {
        open.put(c, new Watch(System.nanoTime()));
        c.closeHandler(v -> open.remove(c));
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((c, w) -> {
            if (w.multiplexed) {
                return;
            }
            HttpServerResponse last = w.last;
            HttpServerRequest request = w.request;
            if (last != null && !last.ended()) {
                w.waitingSince = 0;
                if (request != null && !request.isEnded() && now - w.requestSince > limitNanos) {
                    open.remove(c);
                    c.close(); // a request body still coming in after the limit: drip-fed
                }
            } else if (w.waitingSince == 0) {
                w.waitingSince = now;
            } else if (now - w.waitingSince > limitNanos) {
                open.remove(c);
                c.close();
            }
        });
    }
}
