package dev.chunkmesh.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on loopback in front of a registry that answers every {@code n}-th request with a
 * 503 instead of passing it on, for origin-error fault tests (the version check {@code /v2/}, which nodes
 * send now and then to see that the origin is up, is passed on and not counted). Everything else (method, path, Range,
 * Accept, Authorization) is forwarded as is.
 */
public final class FlakyOrigin implements AutoCloseable {
    private final HttpServer server;
    private final URI target;
    private final int every;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger flipped = new AtomicInteger();
    private volatile boolean flipBlobBytes;
    private volatile boolean stallBlobBodies;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();

    public FlakyOrigin(URI target, int every) throws IOException {
        this.target = target;
        this.every = every;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, every whole blob passed on has one byte in its middle flipped: an origin that lies. */
    public FlakyOrigin flippingBlobBytes() {
        flipBlobBytes = true;
        return this;
    }

    /**
     * From now on, every blob body over 1,000 bytes stops after its first half, the connection held open
     * with the rest announced, until {@link #stopStalling}: an origin that hangs mid-body.
     */
    public FlakyOrigin stallingBlobBodies() {
        stallBlobBodies = true;
        return this;
    }

    /** Ends the stalls: bodies stalled so far are dropped, later ones pass whole. */
    public void stopStalling() {
        stallBlobBodies = false;
        released.countDown();
    }

    /** Blob answers passed on with a byte flipped so far. */
    public int flipped() {
        return flipped.get();
    }

    /** Requests answered 503 so far. */
    public int failed() {
        return failed.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            boolean versionCheck = "/v2/".equals(x.getRequestURI().getPath());
            if (!versionCheck && requests.incrementAndGet() % every == 0) {
                failed.incrementAndGet();
                x.sendResponseHeaders(503, -1);
                return;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(x.getRequestURI().toString()))
                    .method(x.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            for (String h : List.of("Range", "Accept", "Authorization")) {
                String v = x.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.headers().map().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding") && !k.startsWith(":")) {
                    v.forEach(val -> x.getResponseHeaders().add(k, val));
                }
            });
            long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(r.statusCode(), head || length == 0 ? -1 : length);
            try (InputStream in = r.body(); OutputStream out = x.getResponseBody()) {
                if (head) {
                    return;
                }
                if (flipBlobBytes && x.getRequestURI().getPath().contains("/blobs/") && length > 1000 && r.statusCode() == 200) {
                    byte[] body = in.readAllBytes();
                    body[body.length / 2] ^= 0x01;
                    flipped.incrementAndGet();
                    out.write(body);
                } else if (stallBlobBodies && x.getRequestURI().getPath().contains("/blobs/") && length > 1000) {
                    out.write(in.readNBytes((int) (length / 2)));
                    out.flush();
                    released.await();
                } else {
                    in.transferTo(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
