package dev.chunkmesh.node.admin;

import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.catalog.sign.CatalogRefusedException;
import dev.chunkmesh.node.http.Failures;
import dev.chunkmesh.node.origin.NoOrigin;
import dev.chunkmesh.node.origin.OriginNotFoundException;
import dev.chunkmesh.registry.RegistryException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Maps failures of the admin API to HTTP statuses, with {@code {"error": "..."}} bodies. Each HTTP surface
 * has its own mapper, as each answers in its own format: the registry mirror's {@code RegistryErrors}
 * (distribution error codes), the peer API's {@code PeerErrors} (plain text), and this one.
 */
final class AdminErrors {
    private AdminErrors() {
    }

    /** A request the admin API refuses, with its status. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A request without the admin token, or with another. */
    static Refused unauthorized() {
        return new Refused(401, "this request needs the node's admin token: send 'Authorization: Bearer <token>' with the token"
                + " in the node's admin.token-file");
    }

    static int status(Throwable t) {
        t = Failures.unwrap(t);
        if (t instanceof Refused r) {
            return r.status;
        }
        if (t instanceof JsonFormatException || t instanceof IllegalArgumentException || t instanceof DecodeException) {
            return 400;
        }
        if (t instanceof CatalogRefusedException) {
            return 403;
        }
        if (t instanceof OriginNotFoundException) {
            return 404;
        }
        if (t instanceof NoOrigin.NoOriginException) {
            return 503;
        }
        if (t instanceof RegistryException) {
            return 502;
        }
        return 500;
    }

    static String message(Throwable t) {
        t = Failures.unwrap(t);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = t == null ? ctx.statusCode() : status(t);
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"chunk-mesh admin\"");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", t != null ? message(t)
                        : status == 413 ? "request body too large: /v1/prefetch reads up to admin.max-body, /v1/pull 64 KiB"
                        : "HTTP " + status).encode());
    }
}
