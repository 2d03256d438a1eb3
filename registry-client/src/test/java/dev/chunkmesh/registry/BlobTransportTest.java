package dev.chunkmesh.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blob bodies as the registry client reads them: stalls, slow senders, redirects and kept-alive connections. */
class BlobTransportTest {

    private static final Digest BLOB = Digest.sha256(new byte[] {7});
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private URI serve(HttpHandler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", handler);
        s.setExecutor(Executors.newCachedThreadPool());
        s.start();
        servers.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    private static RegistryClient client(URI base, Duration idle) {
        return new RegistryClient(base, Optional.empty(), HttpSettings.defaults(), 1, Duration.ofMillis(10)).withBodyIdleTimeout(idle);
    }

    private static void send(HttpExchange ex, byte[] body) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void aBodyThatStopsMidWayFailsTheWaitingReadSayingWhy() throws Exception {
        URI base = serve(ex -> {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write(new byte[] {1, 2, 3});
            ex.getResponseBody().flush();
            sleep(3000);
            ex.close();
        });
        try (InputStream in = client(base, Duration.ofMillis(300)).blob("r", BLOB)) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readNBytes(3));
            long t0 = System.nanoTime();
            InterruptedIOException e = assertThrows(InterruptedIOException.class, in::read);
            double waited = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("/v2/r/blobs/" + BLOB + ": no bytes for 0 s, gave up"), e.getMessage());
            assertTrue(waited >= 0.25 && waited < 2.5, "gave up after the idle time, waited " + waited);
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aRegistryThatNeverAnswersIsUnreachableSayingSo() throws Exception {
        URI base = serve(ex -> {
            sleep(3000);
            ex.close();
        });
        RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class,
                () -> client(base, Duration.ofMillis(300)).blob("r", BLOB));
        assertTrue(e.getMessage().endsWith("the registry did not answer in time"), e.getMessage());
    }

    @Test
    void aSlowBodyThatKeepsSendingIsReadToTheEnd() throws Exception {
        URI base = serve(ex -> {
            ex.sendResponseHeaders(200, 10);
            for (int i = 0; i < 10; i++) {
                ex.getResponseBody().write(i);
                ex.getResponseBody().flush();
                sleep(100);
            }
            ex.close();
        });
        try (InputStream in = client(base, Duration.ofMillis(400)).blob("r", BLOB)) {
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, in.readAllBytes());
        }
    }

    @Test
    void aSignatureGoesToTheRegistryButNotToTheStorageItRedirectsTo() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        URI storage = serve(ex -> {
            seen.put("storage", String.valueOf(ex.getRequestHeaders().getFirst("X-Signature")));
            send(ex, new byte[] {9, 9});
        });
        URI registry = serve(ex -> {
            seen.put("registry", String.valueOf(ex.getRequestHeaders().getFirst("X-Signature")));
            ex.getResponseHeaders().add("Location", storage + "/signed?x=1");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        RegistryClient c = client(registry, Duration.ofSeconds(5)).withSigner((request, method, uri) -> request.header("X-Signature", "s"));
        try (InputStream in = c.blob("r", BLOB)) {
            assertArrayEquals(new byte[] {9, 9}, in.readAllBytes());
        }
        assertEquals("s", seen.get("registry"));
        assertEquals("null", seen.get("storage"), "another host gets no signature");
    }

    @Test
    void aRedirectOnTheSameHostKeepsTheSignature() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        URI registry = serve(ex -> {
            String path = ex.getRequestURI().getPath();
            seen.put(path, String.valueOf(ex.getRequestHeaders().getFirst("X-Signature")));
            if (path.equals("/elsewhere")) {
                send(ex, new byte[] {1});
            } else {
                ex.getResponseHeaders().add("Location", "/elsewhere");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            }
        });
        RegistryClient c = client(registry, Duration.ofSeconds(5)).withSigner((request, method, uri) -> request.header("X-Signature", "s"));
        try (InputStream in = c.blob("r", BLOB)) {
            assertArrayEquals(new byte[] {1}, in.readAllBytes());
        }
        assertEquals("s", seen.get("/elsewhere"));
    }

    @Test
    void aRedirectToSomethingThatIsNotAUrlIsARefusalNamingItsStatus() throws Exception {
        URI registry = serve(ex -> {
            ex.getResponseHeaders().add("Location", "http://bad host/ x");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        RegistryException e = assertThrows(RegistryException.class, () -> client(registry, Duration.ofSeconds(5)).blob("r", BLOB));
        assertEquals(302, e.status());
    }

    @Test
    void blobsReadToTheirEndShareOneConnection() throws Exception {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        byte[] body = new byte[256 * 1024];
        URI base = serve(ex -> {
            ports.add(ex.getRemoteAddress().getPort());
            send(ex, body);
        });
        RegistryClient c = client(base, Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            try (InputStream in = c.blob("r", BLOB)) {
                assertEquals(body.length, in.readAllBytes().length);
            }
        }
        assertEquals(1, ports.stream().distinct().count(), "one connection for three blobs: " + ports);
    }

    @Test
    void eightParallelBlobReadsKeepTheirEightConnectionsForTheNextEight() throws Exception {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        AtomicReference<CountDownLatch> together = new AtomicReference<>();
        byte[] body = new byte[64 * 1024];
        URI base = serve(ex -> {
            ports.add(ex.getRemoteAddress().getPort());
            CountDownLatch wave = together.get();
            wave.countDown();
            try {
                wave.await(10, TimeUnit.SECONDS); // all 8 in flight at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, body);
        });
        RegistryClient c = client(base, Duration.ofSeconds(20));
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            for (int wave = 0; wave < 2; wave++) {
                together.set(new CountDownLatch(8));
                List<Future<Integer>> reads = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    reads.add(readers.submit(() -> {
                        try (InputStream in = c.blob("r", BLOB)) {
                            return in.readAllBytes().length;
                        }
                    }));
                }
                for (Future<Integer> r : reads) {
                    assertEquals(body.length, r.get(20, TimeUnit.SECONDS));
                }
            }
        } finally {
            readers.shutdownNow();
        }
        assertEquals(8, ports.stream().distinct().count(), "the second eight reads reuse the first eight's connections: " + ports);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
