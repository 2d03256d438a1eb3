package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A held blob of compressed and raw chunks streamed to a real HTTP client: the bytes are the blob's,
 * every pooled buffer a compressed chunk was decoded into is given back, whether the client reads it all,
 * asks for a range, or hangs up halfway, and a client that stops reading stops the writes.
 */
class BlobStreamerTest {

    /** Hands out unpooled direct buffers and keeps each, so a test can see that all were released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> handedOut = new CopyOnWriteArrayList<>();

        TrackingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            throw new AssertionError("the streamer decodes into direct memory only");
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            handedOut.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        long unreleased() {
            return handedOut.stream().filter(b -> b.refCnt() > 0).count();
        }
    }

    @TempDir
    Path dir;
    private Vertx vertx;
    private DiskChunkStore store;
    private final TrackingAllocator pool = new TrackingAllocator();
    private final List<ChunkRef> recipe = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final List<Boolean> completed = new CopyOnWriteArrayList<>();
    private byte[] blob;
    private ByteRange range;
    private HttpServer server;

    @BeforeEach
    void holdABlobOfTextAndRandomChunks() throws Exception {
        vertx = Vertx.vertx();
        store = DiskChunkStore.open(new DiskStoreConfig(dir.resolve("store"), StoreLimits.unlimited(), false));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 512; i++) {
            byte[] chunk = new byte[60_000 + i * 7];
            if (i % 4 == 3) {
                random.nextBytes(chunk);
            } else {
                byte[] text = ("chunk " + i + " line of a config file that compresses well\n").getBytes(StandardCharsets.US_ASCII);
                for (int k = 0; k < chunk.length; k++) {
                    chunk[k] = text[k % text.length];
                }
            }
            recipe.add(new ChunkRef(all.size(), chunk.length, store.put(chunk)));
            all.write(chunk);
        }
        blob = all.toByteArray();
        server = vertx.createHttpServer().requestHandler(req -> {
            req.response().putHeader("Content-Length", Long.toString(range.end() - range.start()));
            BlobStreamer streamer = new BlobStreamer(vertx.getOrCreateContext(), new RangeReader(store, range, pool),
                    i -> CompletableFuture.completedFuture(i < recipe.size() ? Optional.of(recipe.get(i)) : Optional.empty()), null,
                    req.response(), null, sent::addAndGet);
            req.response().closeHandler(v -> streamer.stop());
            streamer.start().thenAccept(completed::add);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void aWholeBlobArrivesExactAndEveryDecodeBufferIsGivenBack() throws Exception {
        range = new ByteRange(0, blob.length);
        assertArrayEquals(blob, get());
        assertEquals(blob.length, sent.get());
        assertTrue(pool.handedOut.size() >= 384, "each compressed chunk was decoded into the pool: " + pool.handedOut.size());
        awaitAllReleased();
    }

    @Test
    void aRangeArrivesExactAndEveryDecodeBufferIsGivenBack() throws Exception {
        range = new ByteRange(1_000_123, 20_000_456);
        assertArrayEquals(Arrays.copyOfRange(blob, 1_000_123, 20_000_456), get());
        assertTrue(pool.handedOut.size() > 0);
        awaitAllReleased();
    }

    @Test
    void aClientThatStopsReadingHoldsBackTheWritesAndLeavesNoDecodeBufferBehindWhenItHangsUp() throws Exception {
        range = new ByteRange(0, blob.length);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024); // before connecting, so the kernel cannot take in the whole blob for the client
            s.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
            OutputStream out = s.getOutputStream();
            out.write("GET /blob HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[100_000];
            int got = 0;
            while (got < buf.length) {
                got += in.read(buf, got, buf.length - got);
            }
            Thread.sleep(300);
        }
        awaitAllReleased();
        assertEquals(List.of(false), completed, "the stream was cut short, not completed");
        assertTrue(sent.get() < blob.length, "a client that stops reading holds back the writes, not the whole blob in memory: "
                + sent.get() + " of " + blob.length + " bytes handed to the socket");
    }

    /** The body the streamer sends for {@link #range}. */
    private byte[] get() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/blob")).build();
        HttpResponse<byte[]> res = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, res.statusCode());
        return res.body();
    }

    private void awaitAllReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.unreleased() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, pool.unreleased(), "decode buffers never released, of " + pool.handedOut.size());
    }
}
