package dev.chunkmesh.node.peer;

import dev.chunkmesh.node.ChunkSource;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.Digest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fetches chunks from one peer's chunk API and verifies every frame against the digest asked for, so
 * a peer that lies or corrupts is caught before its bytes go anywhere. Decoding and hashing run on a
 * worker thread, never on the event loop.
 */
public final class PeerChunkClient implements ChunkSource {

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

    @Override
    public String name() {
        return name;
    }

    @Override
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

    @Override
    public Future<Map<Digest, byte[]>> fetchAll(List<Digest> digests) {
        return batch(digests, true);
    }

    /**
     * As many of {@code digests} as the peer holds, as the frames they travelled in, not yet checked
     * against their digests: the store checks each once, where it keeps it ({@code putFrame}). A chunk
     * that was not asked for fails the batch with ChunkCorruptException.
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
        return web.post(port, host, PeerApi.CHUNKS).putHeader(PeerAuth.HEADER, sign("POST", PeerApi.CHUNKS, body)).sendBuffer(Buffer.buffer(body))
                .recover(e -> Future.failedFuture(new PeerUnavailableException(name, 0, e.getMessage(), e)))
                .compose(r -> {
                    if (r.statusCode() != 200) {
                        return Future.failedFuture(refusal(r));
                    }
                    if (decode) {
                        return vertx.executeBlocking(() -> splitBatch(digests, r.body(), true), false);
                    }
                    try {
                        return Future.succeededFuture(splitBatch(digests, r.body(), false));
                    } catch (RuntimeException e) {
                        return Future.failedFuture(e);
                    }
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

    /** The chunks of a batch answer, decoded and verified, or as frames when {@code decode} is false. */
    private Map<Digest, byte[]> splitBatch(List<Digest> asked, Buffer body, boolean decode) {
        Set<Digest> wanted = new HashSet<>(asked);
        Map<Digest, byte[]> out = new LinkedHashMap<>();
        int pos = 0;
        Buffer b = body == null ? Buffer.buffer() : body;
        while (pos < b.length()) {
            if (pos + 36 > b.length()) {
                throw new PeerUnavailableException(name, 200, "batch answer is truncated", null);
            }
            Digest d = Digest.ofBytes(b.getBytes(pos, pos + 32));
            int length = b.getInt(pos + 32);
            pos += 36;
            if (length < 0 || pos + length > b.length()) {
                throw new PeerUnavailableException(name, 200, "batch answer is truncated", null);
            }
            if (!wanted.contains(d)) {
                throw new ChunkCorruptException(d, "peer " + name + " sent a chunk that was not asked for");
            }
            byte[] frame = b.getBytes(pos, pos + length);
            out.put(d, decode ? ChunkFrame.decode(d, frame) : frame);
            pos += length;
        }
        return out;
    }

    private String sign(String method, String uri, byte[] body) {
        return auth.sign(method, uri, host + ":" + port, body);
    }

    private static byte[] bytes(HttpResponse<Buffer> r) {
        return r.body() == null ? new byte[0] : r.body().getBytes();
    }

    /** Why the peer did not serve: busy (503, all its upload slots taken), or unavailable. */
    private RuntimeException refusal(HttpResponse<Buffer> r) {
        if (r.statusCode() == 503 && r.getHeader(PeerApi.RETRY_AFTER) != null) {
            return new PeerBusyException(name, PeerApi.retryAfter(r.getHeader(PeerApi.RETRY_AFTER)));
        }
        String text = r.bodyAsString();
        return new PeerUnavailableException(name, r.statusCode(), "answered " + r.statusCode() + (text == null || text.isEmpty() ? "" : ": " + text), null);
    }
}
