package dev.chunkmesh.node.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A refusal in the OCI distribution error format: an HTTP status and a spec error code
 * ({@code NAME_INVALID}, {@code MANIFEST_UNKNOWN}, {@code BLOB_UNKNOWN}, ...).
 */
public class RegistryError extends RuntimeException {
    private final int status;
    private final String code;

    public RegistryError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** {@code {"errors":[{"code":…,"message":…}]}} */
    public String body() {
        return new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("code", code).put("message", getMessage()))).encode();
    }

    static RegistryError nameInvalid(String why) {
        return new RegistryError(400, "NAME_INVALID", why);
    }
}
