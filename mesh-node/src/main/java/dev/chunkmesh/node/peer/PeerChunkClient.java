package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Fetches chunks from one peer's chunk API and verifies every frame against the digest asked for, so
 * a peer that lies or corrupts is caught before its bytes go anywhere. Decoding and hashing run on a
 * worker thread, never on the event loop. A future fails with {@link dev.chunkmesh.store.ChunkCorruptException}
 * when the peer sends wrong bytes, with {@link ChunkMissingException} when it lacks the chunk.
 */
public final class PeerChunkClient {

    private final Vertx vertx;
    private final WebClient web;
    private final String name;
    private final String host;
    private final int port;
    private final PeerAuth auth;

    /** A client for the peer at {@code host:port}, named {@code name} in errors, signing its requests with {@code auth}. */
    public PeerChunkClient(Vertx vertx, WebClient web, String name, String host, int port, PeerAuth auth) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.web = Objects.requireNonNull(web, "web");
        this.name = Objects.requireNonNull(name, "name");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** The peer's node name, as in logs and errors. */
    public String name() {
        return name;
    }

    /** The chunk's raw bytes, verified against {@code digest}. */
    public Future<byte[]> fetch(Digest digest) {
        String uri = PeerApi.CHUNKS + "/" + digest;
        return web.get(port, host, uri).putHeader(PeerAuth.HEADER, sign("GET", uri, new byte[0])).send()
                .recover(e -> Future.failedFuture(new PeerUnavailableException(name, 0, e.getMessage(), e)))
                .compose(r -> switch (r.statusCode()) {
                    case 200 -> vertx.executeBlocking(() -> ChunkFrame.decode(digest, bytes(r)), false);
                    case 404 -> Future.failedFuture(new ChunkMissingException(digest));
                    default -> Future.failedFuture(refusal(r));
                });
    }

    /** As many of {@code digests} as the peer holds, verified; absent ones are simply left out. */
    public Future<Map<Digest, byte[]>> fetchAll(List<Digest> digests) {
        return batch(digests, true);
    }

    /**
     * As many of {@code digests} as the peer holds, as the frames they travelled in, not yet checked
     * against their digests: the store checks each once, where it keeps it ({@code putFrame}). A chunk
     * that was not asked for fails the batch with {@link dev.chunkmesh.store.ChunkCorruptException}.
     */
    public Future<Map<Digest, byte[]>> fetchFrames(List<Digest> digests) {
        return batch(digests, false);
    }

    /** One batch request; the answer decoded and verified on a worker when {@code decode}, else split into frames. */
    private Future<Map<Digest, byte[]>> batch(List<Digest> digests, boolean decode) {
        if (digests.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        if (digests.size() > PeerApi.MAX_BATCH) {
            return Future.failedFuture(new IllegalArgumentException("at most " + PeerApi.MAX_BATCH + " digests per batch"));
        }
        byte[] body = digests.stream().map(Digest::toString).collect(Collectors.joining("\n")).getBytes(StandardCharsets.US_ASCII);
        BatchSplitter splitter = new BatchSplitter(name, new HashSet<>(digests));
        return web.post(port, host, PeerApi.CHUNKS).putHeader(PeerAuth.HEADER, sign("POST", PeerApi.CHUNKS, body))
                .as(BodyCodec.pipe(splitter, false)).sendBuffer(Buffer.buffer(body))
                .recover(e -> Future.failedFuture(new PeerUnavailableException(name, 0, e.getMessage(), e)))
                .compose(r -> {
                    if (r.statusCode() != 200) {
                        return Future.failedFuture(refusal(r.statusCode(), r.getHeader(PeerApi.RETRY_AFTER), splitter.text()));
                    }
                    Map<Digest, byte[]> frames;
                    try {
                        frames = splitter.frames();
                    } catch (RuntimeException e) {
                        return Future.failedFuture(e);
                    }
                    return decode ? vertx.executeBlocking(() -> decodeAll(frames), false) : Future.succeededFuture(frames);
                });
    }

    /** The part of {@code blob}'s recipe the peer can serve from chunk {@code from} on; fails with ChunkMissingException if none. */
    public Future<RecipePrefix> recipe(Digest blob, int from) {
        String uri = PeerApi.RECIPES + "/" + blob + "?from=" + from;
        return web.get(port, host, uri).putHeader(PeerAuth.HEADER, sign("GET", uri, new byte[0])).send()
                .recover(e -> Future.failedFuture(new PeerUnavailableException(name, 0, e.getMessage(), e)))
                .compose(r -> switch (r.statusCode()) {
                    case 200 -> Future.succeededFuture(PeerApi.decode(name, r.bodyAsString()));
                    case 404 -> Future.failedFuture(new ChunkMissingException(blob));
                    default -> Future.failedFuture(refusal(r));
                });
    }

    /** The chunks of a batch answer, each decoded and verified against its digest. */
    private static Map<Digest, byte[]> decodeAll(Map<Digest, byte[]> frames) {
        Map<Digest, byte[]> out = new LinkedHashMap<>();
        frames.forEach((d, frame) -> out.put(d, ChunkFrame.decode(d, frame)));
        return out;
    }

    private String sign(String method, String uri, byte[] body) {
        return auth.sign(method, uri, host + ":" + port, body);
    }

    private static byte[] bytes(HttpResponse<Buffer> r) {
        return r.body() == null ? new byte[0] : r.body().getBytes();
    }

    private RuntimeException refusal(HttpResponse<Buffer> r) {
        return refusal(r.statusCode(), r.getHeader(PeerApi.RETRY_AFTER), r.bodyAsString());
    }

    /** Why the peer did not serve: busy (503 with Retry-After: all its upload slots taken), or unavailable. */
    private RuntimeException refusal(int status, String retryAfter, String text) {
        if (status == 503 && retryAfter != null) {
            return new PeerBusyException(name, PeerApi.retryAfter(retryAfter));
        }
        return new PeerUnavailableException(name, status, "answered " + status + (text == null || text.isEmpty() ? "" : ": " + text), null);
    }
}
