package dev.chunkmesh.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
        return new PeerChunkClient(vertx, WebClient.create(vertx), "peer-a", "127.0.0.1", server.port(), new PeerAuth(clientSecret, Clock.systemUTC()));
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
        String uri = "/v1/chunks/sha256:..%2F..%2Fetc";
        var r = await(WebClient.create(vertx).get(server.port(), "127.0.0.1", uri)
                .putHeader(PeerAuth.HEADER, new PeerAuth(SECRET, Clock.systemUTC()).sign("GET", uri, "127.0.0.1:" + server.port(), new byte[0])).send());
        assertEquals(400, r.statusCode());
    }

    @Test
    void anUnreachablePeerIsUnavailable(Vertx vertx) {
        PeerChunkClient client = new PeerChunkClient(vertx, WebClient.create(vertx), "gone", "127.0.0.1", 1, new PeerAuth(SECRET, Clock.systemUTC()));
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> await(client.fetch(digest)));
        assertInstanceOf(PeerUnavailableException.class, e);
        assertEquals(0, e.status());
    }

    /**
     * A peer address learned from Hazelcast may be anyone's. What such a fake peer receives holds no
     * secret, and replayed to a real node (whose address it was not made for) it is refused.
     */
    @Test
    void aFakePeerLearnsNeitherTheSecretNorARequestItCanReplayToARealNode(Vertx vertx) throws Exception {
        PeerChunkServer real = new PeerChunkServer(store, new PeerServerConfig("127.0.0.1", 0, SECRET));
        await(vertx.deployVerticle(real));
        List<MultiMap> heard = new CopyOnWriteArrayList<>();
        List<String> uris = new CopyOnWriteArrayList<>();
        HttpServer fake = await(vertx.createHttpServer().requestHandler(req -> {
            heard.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
            uris.add(req.uri());
            req.response().setStatusCode(404).end();
        }).listen(0, "127.0.0.1"));
        PeerChunkClient toFake = new PeerChunkClient(vertx, WebClient.create(vertx), "fake", "127.0.0.1", fake.actualPort(),
                new PeerAuth(SECRET, Clock.systemUTC()));
        assertThrows(ChunkMissingException.class, () -> await(toFake.fetch(digest)));
        assertEquals(1, heard.size());
        heard.get(0).forEach(h -> assertFalse(h.getValue().contains(SECRET), "header " + h.getKey() + " carries the secret"));
        var replayed = await(WebClient.create(vertx).get(real.port(), "127.0.0.1", uris.get(0))
                .putHeader(PeerAuth.HEADER, heard.get(0).get(PeerAuth.HEADER)).send());
        assertEquals(401, replayed.statusCode(), "a request made for the fake peer's address is refused by the real node");
    }

    @Test
    void aRequestWhoseBodyWasChangedOrWhoseSignatureIsStaleIsRefused(Vertx vertx) throws Exception {
        PeerChunkServer server = new PeerChunkServer(store, new PeerServerConfig("127.0.0.1", 0, SECRET));
        await(vertx.deployVerticle(server));
        String self = "127.0.0.1:" + server.port();
        byte[] asked = digest.toString().getBytes(StandardCharsets.US_ASCII);
        String signed = new PeerAuth(SECRET, Clock.systemUTC()).sign("POST", "/v1/chunks", self, asked);
        WebClient web = WebClient.create(vertx);
        assertEquals(200, await(web.post(server.port(), "127.0.0.1", "/v1/chunks").putHeader(PeerAuth.HEADER, signed)
                .sendBuffer(Buffer.buffer(asked))).statusCode());
        byte[] other = Digest.sha256(new byte[] {7}).toString().getBytes(StandardCharsets.US_ASCII);
        assertEquals(401, await(web.post(server.port(), "127.0.0.1", "/v1/chunks").putHeader(PeerAuth.HEADER, signed)
                .sendBuffer(Buffer.buffer(other))).statusCode(), "the signature covers the body");
        String stale = new PeerAuth(SECRET, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))).sign("POST", "/v1/chunks", self, asked);
        assertEquals(401, await(web.post(server.port(), "127.0.0.1", "/v1/chunks").putHeader(PeerAuth.HEADER, stale)
                .sendBuffer(Buffer.buffer(asked))).statusCode(), "a signature ten minutes old");
    }

    @Test
    void aPeerWithAllItsUploadSlotsTakenAnswersBusyAndTakesRequestsAgainOnceOneIsSent(Vertx vertx) throws Exception {
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ChunkStore slow = new ForwardingChunkStore(store) {
            @Override
            public byte[] getFrame(Digest d) {
                reading.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.getFrame(d);
            }
        };
        PeerChunkServer server = new PeerChunkServer(slow, new PeerServerConfig("127.0.0.1", 0, SECRET, java.util.Optional.empty(),
                dev.chunkmesh.node.http.ServerLimits.DEFAULTS, 1));
        await(vertx.deployVerticle(server));
        PeerChunkClient client = new PeerChunkClient(vertx, WebClient.create(vertx), "peer-a", "127.0.0.1", server.port(),
                new PeerAuth(SECRET, Clock.systemUTC()));
        Future<byte[]> first = client.fetch(digest);
        assertEquals(true, reading.await(20, TimeUnit.SECONDS), "the first request holds the one slot");
        PeerBusyException busy = assertThrows(PeerBusyException.class, () -> await(client.fetchAll(List.of(digest))));
        assertEquals("peer-a", busy.peer());
        assertEquals(Duration.ofSeconds(1), busy.retryAfter());
        release.countDown();
        assertArrayEquals(raw, await(first));
        byte[] again = null;
        for (int attempt = 0; again == null && attempt < 40; attempt++) {
            try {
                again = await(client.fetch(digest));
            } catch (PeerBusyException stillSending) {
                Thread.sleep(50);
            }
        }
        assertArrayEquals(raw, again, "the slot is free again once the first answer is sent");
    }
}
