package dev.chunkmesh.node.registry;

import dev.chunkmesh.node.http.Failures;
import dev.chunkmesh.node.origin.NoOrigin;
import dev.chunkmesh.node.origin.OriginNotFoundException;
import dev.chunkmesh.registry.RegistryException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.logging.Logger;

/**
 * Maps failures of the registry mirror (and of the {@code /tier} registry API it serves to lower tiers)
 * to statuses and distribution error codes. The admin API and the peer API have mappers of their own
 * ({@code AdminErrors}, {@code PeerErrors}), as each answers in its own format.
 */
final class RegistryErrors {
    private static final Logger LOG = Logger.getLogger(RegistryErrors.class.getName());

    private RegistryErrors() {
    }

    static RegistryError manifest(Throwable e, RegistryPath.Manifest m) {
        e = Failures.unwrap(e);
        if (e instanceof OriginNotFoundException) {
            return new RegistryError(404, "MANIFEST_UNKNOWN", "manifest " + m.reference() + " of " + m.name() + " is unknown to the origin");
        }
        return upstream(e);
    }

    static RegistryError blob(Throwable e, RegistryPath.Blob b) {
        e = Failures.unwrap(e);
        if (e instanceof OriginNotFoundException) {
            return new RegistryError(404, "BLOB_UNKNOWN", "blob " + b.digest() + " of " + b.name() + " is unknown here and to the origin");
        }
        return upstream(e);
    }

    private static RegistryError upstream(Throwable e) {
        if (e instanceof RegistryError r) {
            return r;
        }
        if (e instanceof NoOrigin.NoOriginException) {
            return new RegistryError(503, "UNAVAILABLE", e.getMessage());
        }
        if (e instanceof RegistryException r && (r.status() == 401 || r.status() == 403)) {
            return new RegistryError(r.status(), r.status() == 401 ? "UNAUTHORIZED" : "DENIED", e.getMessage());
        }
        if (e instanceof RegistryException r && r.status() >= 400 && r.status() < 500) {
            // The origin refused the request itself (e.g. 400 MANIFEST_INVALID for an Accept it cannot serve): the client's to fix.
            return new RegistryError(r.status(), r.status() == 429 ? "TOOMANYREQUESTS" : "UNSUPPORTED", "the origin refused the request: "
                    + e.getMessage());
        }
        LOG.warning("origin failed: " + e);
        return new RegistryError(502, "UNAVAILABLE", "the origin could not be reached or failed: " + e.getMessage());
    }

    static void respond(HttpServerResponse res, Throwable e) {
        if (res.headWritten()) {
            res.reset();
            return;
        }
        RegistryError r = Failures.unwrap(e) instanceof RegistryError re ? re : upstream(Failures.unwrap(e));
        if (r instanceof ByteRange.RangeNotSatisfiable n) {
            res.putHeader("Content-Range", "bytes */" + n.size());
        }
        if (r instanceof AccessGate.Unauthorized u) {
            u.challenge().ifPresent(c -> res.putHeader("WWW-Authenticate", c));
        }
        res.setStatusCode(r.status()).putHeader("Content-Type", "application/json").end(r.body());
    }

    /** Requests HTTP itself could not decode: oversized heads (431), overlong lines (414), garbage (400). */
    static void invalidRequest(HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        int status = 400;
        if (cause instanceof TooLongFrameException) {
            status = cause.getMessage() != null && cause.getMessage().contains("header") ? 431 : 414;
        }
        RegistryError r = new RegistryError(status, status == 414 ? "NAME_INVALID" : "UNSUPPORTED",
                "request refused: " + (cause == null ? "malformed" : cause.getMessage()));
        req.response().setStatusCode(r.status()).putHeader("Content-Type", "application/json").putHeader("Connection", "close").end(r.body());
    }
}
