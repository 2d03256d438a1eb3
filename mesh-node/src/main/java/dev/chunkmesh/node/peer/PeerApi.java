package dev.chunkmesh.node.peer;

/**
 * The peer chunk API between nodes, all under {@code /v1} and all requiring the cluster secret in
 * {@value #SECRET_HEADER}:
 *
 * <pre>
 *   GET  /v1/chunks/{digest}   200 with the chunk frame (application/octet-stream), 404 if not held
 *   HEAD /v1/chunks/{digest}   200 if held, 404 if not
 *   POST /v1/chunks            body: up to {@value #MAX_BATCH} digests, one per line;
 *                              200 with, for each chunk held, 32 raw digest bytes, a 4-byte
 *                              big-endian frame length, then the frame
 * </pre>
 *
 * A wrong or missing secret gets 401; a malformed digest 400. Frames are verified by the receiver.
 */
public final class PeerApi {
    public static final String SECRET_HEADER = "X-Mesh-Secret";
    public static final int MAX_BATCH = 256;
    static final String CHUNKS = "/v1/chunks";

    private PeerApi() {
    }
}
