package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer chunk API between nodes, all under {@code /v1} and all requiring a request signed with the
 * cluster secret for the node it is sent to ({@link PeerAuth}; the secret itself never travels):
 *
 * <pre>
 *   GET  /v1/chunks/{digest}   200 with the chunk frame (application/octet-stream), 404 if not held
 *   HEAD /v1/chunks/{digest}   200 if held, 404 if not
 *   POST /v1/chunks            body: up to {@value #MAX_BATCH} digests, one per line;
 *                              200 with, for each chunk held, 32 raw digest bytes, a 4-byte
 *                              big-endian frame length, then the frame
 *   (both chunk requests: 503 with Retry-After when all the node's upload slots are taken; ask another holder)
 *
 *   GET  /v1/recipes/{blob}?from=N
 *                              200 with the part of the blob's recipe this node can serve from
 *                              chunk N on: {"complete":bool,"size":N,"chunks":[[offset,length,"digest"],…]};
 *                              404 if it has none. A node that is first to chunk a blob from the
 *                              origin serves the growing prefix, so others take chunks as they land.
 *
 *   GET|HEAD /tier[/ns/{host}]/v2/…
 *                              the registry API of this node's mirror, for the nodes of a POP that names
 *                              this POP as its upper tier: pulled through this POP, single flight, with
 *                              no client access check (the lower tier checks its clients with /tier/access)
 *   HEAD /tier/access[/ns/{host}]/v2/…
 *                              the status and challenge the origin gives the Authorization header carried
 *   GET  /tier/recipes/{blob}  200 with this node's complete recipe of the blob (as /v1/recipes), 404 if none
 * </pre>
 *
 * A tier request is signed for the host and port it was sent to (its {@code Host}), since a lower tier
 * dials the names its configuration gives. A missing, wrong or stale signature gets 401; a malformed digest 400. Frames are verified by the receiver.
 */
public final class PeerApi {
    public static final int MAX_BATCH = 256;
    /** Bytes before each frame in a batch answer: the chunk's digest (32) and the frame's length (a 4-byte int). */
    public static final int BATCH_HEAD = 36;
    static final String CHUNKS = "/v1/chunks";
    static final String RECIPES = "/v1/recipes";
    static final String RETRY_AFTER = "Retry-After";

    private PeerApi() {
    }

    /** A Retry-After header's delay: whole seconds (an HTTP date or anything else counts as 1 s). */
    static Duration retryAfter(String header) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    static int parseFrom(String text) {
        if (text == null) {
            return 0;
        }
        try {
            int from = Integer.parseInt(text);
            if (from >= 0) {
                return from;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalArgumentException("'from' must be a chunk index >= 0, got '" + text + "'");
    }

    static String encode(RecipePrefix p) {
        JsonArray chunks = new JsonArray();
        for (ChunkRef c : p.chunks()) {
            chunks.add(new JsonArray().add(c.offset()).add(c.length()).add(c.digest().toString()));
        }
        return new JsonObject().put("complete", p.complete()).put("size", p.size()).put("chunks", chunks).encode();
    }

    /** Parses a recipe prefix strictly; anything malformed is the peer's fault. */
    public static RecipePrefix decode(String peer, String json) {
        try {
            JsonObject o = new JsonObject(json);
            List<ChunkRef> chunks = new ArrayList<>();
            JsonArray a = o.getJsonArray("chunks");
            for (int i = 0; i < a.size(); i++) {
                JsonArray c = a.getJsonArray(i);
                if (c.size() != 3) {
                    throw new IllegalArgumentException("chunk " + i + " needs offset, length and digest");
                }
                chunks.add(new ChunkRef(c.getLong(0), c.getInteger(1), Digest.parse(c.getString(2))));
            }
            return new RecipePrefix(chunks, o.getBoolean("complete"), o.getLong("size"));
        } catch (RuntimeException e) {
            throw new PeerUnavailableException(peer, 200, "sent an unreadable recipe: " + e.getMessage(), e);
        }
    }
}
