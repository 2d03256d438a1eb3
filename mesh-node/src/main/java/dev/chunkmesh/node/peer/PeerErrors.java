package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkMissingException;
import io.vertx.ext.web.RoutingContext;

/**
 * Maps failures of the peer API to HTTP statuses, with the message as a plain-text body. The registry
 * mirror and the admin API have mappers of their own ({@code RegistryErrors}, {@code AdminErrors}), as
 * each answers in its own format.
 */
final class PeerErrors {

    /** A request not signed with the cluster secret for this node ({@link PeerAuth}). */
    static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super("the request is not signed with the cluster secret for this node (X-Mesh-Auth missing, wrong or stale)");
        }
    }

    private PeerErrors() {
    }

    static int status(Throwable t, int fallback) {
        if (t instanceof Unauthorized) {
            return 401;
        }
        if (t instanceof ChunkMissingException || t instanceof ChunkCorruptException) {
            return 404;
        }
        if (t instanceof IllegalArgumentException) {
            return 400;
        }
        return fallback >= 400 ? fallback : 500;
    }

    static void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        int status = status(t, ctx.statusCode());
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        String message = t == null ? "" : String.valueOf(t.getMessage());
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
    }
}
