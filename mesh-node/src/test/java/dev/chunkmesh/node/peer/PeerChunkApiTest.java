package dev.chunkmesh.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import dev.chunkmesh.store.TestData;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two real HTTP endpoints on 127.0.0.1: a peer serving its store, and a client fetching from it. */
@ExtendWith(VertxExtension.class)
class PeerChunkApiTest {

    private static final String SECRET = "correct horse battery staple";
    private final InMemoryChunkStore store = new InMemoryChunkStore();
    private final byte[] raw = TestData.compressible(1, 70_000);
    private Digest digest;

    @BeforeEach
    void fill() {
        digest = store.put(raw);
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private PeerChunkClient serve(Vertx vertx, ChunkStore served, String clientSecret) throws Exception {
        PeerChunkServer server = new PeerChunkServer(served, new PeerServerConfig("127.0.0.1", 0, SECRET));
        await(vertx.deployVerticle(server));
        return new PeerChunkClient(vertx, WebClient.create(vertx), "peer-a", "127.0.0.1", server.port(), clientSecret);
    }

    @Test
    void fetchesAVerifiedChunkFromAPeer(Vertx vertx) throws Exception {
        PeerChunkClient client = serve(vertx, store, SECRET);
        assertArrayEquals(raw, await(client.fetch(digest)));
    }

    @Test
    void aChunkThePeerLacksIsMissingNotAnError(Vertx vertx) throws Exception {
        PeerChunkClient client = serve(vertx, store, SECRET);
        Digest absent = Digest.sha256(new byte[] {1});
        ChunkMissingException e = assertThrows(ChunkMissingException.class, () -> await(client.fetch(absent)));
        assertEquals(absent, e.digest());
    }

    @Test
    void aWrongSecretIsRefused(Vertx vertx) throws Exception {
        PeerChunkClient client = serve(vertx, store, "not the secret at all");
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> await(client.fetch(digest)));
        assertEquals(401, e.status());
    }

    @Test
    void bytesFromALyingPeerAreCaughtAndNeverReturned(Vertx vertx) throws Exception {
        byte[] otherFrame = ChunkFrame.encode(TestData.splitMix(2, 70_000));
        ChunkStore liar = new ForwardingChunkStore(store) {
            @Override
            public byte[] getFrame(Digest d) {
                return otherFrame;
            }
        };
        PeerChunkClient client = serve(vertx, liar, SECRET);
        ChunkCorruptException e = assertThrows(ChunkCorruptException.class, () -> await(client.fetch(digest)));
        assertEquals(digest, e.expected());
        assertThrows(ChunkCorruptException.class, () -> await(client.fetchAll(List.of(digest))));
    }

    @Test
    void aBatchReturnsTheHeldChunksAndSkipsTheRest(Vertx vertx) throws Exception {
        byte[] second = TestData.splitMix(3, 20_000);
        Digest d2 = store.put(second);
        Digest absent = Digest.sha256(new byte[] {9});
        PeerChunkClient client = serve(vertx, store, SECRET);
        Map<Digest, byte[]> got = await(client.fetchAll(List.of(digest, absent, d2)));
        assertEquals(2, got.size());
        assertArrayEquals(raw, got.get(digest));
        assertArrayEquals(second, got.get(d2));
    }

    @Test
    void aMalformedDigestIsABadRequest(Vertx vertx) throws Exception {
        PeerChunkServer server = new PeerChunkServer(store, new PeerServerConfig("127.0.0.1", 0, SECRET));
        await(vertx.deployVerticle(server));
        var r = await(WebClient.create(vertx).get(server.port(), "127.0.0.1", "/v1/chunks/sha256:..%2F..%2Fetc")
                .putHeader(PeerApi.SECRET_HEADER, SECRET).send());
        assertEquals(400, r.statusCode());
    }

    @Test
    void anUnreachablePeerIsUnavailable(Vertx vertx) {
        PeerChunkClient client = new PeerChunkClient(vertx, WebClient.create(vertx), "gone", "127.0.0.1", 1, SECRET);
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> await(client.fetch(digest)));
        assertInstanceOf(PeerUnavailableException.class, e);
        assertEquals(0, e.status());
    }
}
