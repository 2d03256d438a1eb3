package dev.chunkmesh.node.registry;

import java.io.IOException;

/** {@link RawHttp} for tests in other packages: a request sent as written, the answer as read until the connection ends. */
public final class RawHttpAccess {

    /** An answer: its status and the body bytes that arrived. */
    public record Answer(int status, byte[] body) {}

    private RawHttpAccess() {
    }

    /** GET {@code path} with {@code Connection: close}; IOException if the connection is reset. */
    public static Answer get(String baseUrl, String path) throws IOException {
        RawHttp r = RawHttp.get(baseUrl, path);
        return new Answer(r.status(), r.body());
    }
}
