package dev.chunkmesh.node.admin;

import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.catalog.sign.CatalogRefusedException;
import dev.chunkmesh.node.origin.NoOrigin;
import dev.chunkmesh.registry.RegistryException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.FileNotFoundException;
import java.util.concurrent.CompletionException;

/** The one place the admin API maps failures to HTTP statuses; bodies are {@code {"error": "..."}}. */
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

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static int status(Throwable t) {
        t = unwrap(t);
        if (t instanceof Refused r) {
            return r.status;
        }
        if (t instanceof JsonFormatException || t instanceof IllegalArgumentException || t instanceof io.vertx.core.json.DecodeException) {
            return 400;
        }
        if (t instanceof CatalogRefusedException) {
            return 403;
        }
        if (t instanceof FileNotFoundException) {
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
        t = unwrap(t);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = t == null ? ctx.statusCode() : status(t);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", t == null ? "HTTP " + status : message(t)).encode());
    }
}
