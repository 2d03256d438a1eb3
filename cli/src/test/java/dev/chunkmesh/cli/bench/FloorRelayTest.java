package dev.chunkmesh.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.chunkmesh.store.Digest;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class FloorRelayTest {
    private static final byte[] BLOB = random(3 * 1024 * 1024 + 123, 1);
    private static final byte[] OTHER = random(200_000, 2);
    private static final Digest BLOB_DIGEST = Digest.sha256(BLOB);
    /** A digest the registry answers with other bytes. */
    private static final Digest LIED_ABOUT = Digest.sha256(new byte[] {1, 2, 3});

    @TempDir
    Path scratch;

    private HttpServer registry;
    private FloorRelay relay;

    @BeforeEach
    void start() throws Exception {
        Map<String, byte[]> bodies = Map.of("/v2/", "{}".getBytes(StandardCharsets.UTF_8), "/v2/r/blobs/" + BLOB_DIGEST, BLOB,
                "/v2/r/blobs/" + LIED_ABOUT, OTHER);
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            byte[] body = bodies.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        registry.start();
        relay = new FloorRelay(registry.getAddress(), scratch);
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        registry.stop(0);
    }

    @Test
    void blobsComeThroughByteExactInEveryModeOnOneKeptConnection() throws Exception {
        try (Socket s = connect(relay.authority())) {
            assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), get(s, "GET", "/v2/").body());
            for (FloorRelay.Mode mode : FloorRelay.Mode.values()) {
                relay.mode(mode);
                assertArrayEquals(BLOB, get(s, "GET", "/v2/r/blobs/" + BLOB_DIGEST).body(), mode.name());
            }
            Answer head = get(s, "HEAD", "/v2/r/blobs/" + BLOB_DIGEST);
            assertEquals(200, head.status());
            assertEquals(0, head.body().length);
            assertEquals(404, get(s, "GET", "/v2/r/blobs/" + Digest.sha256(new byte[] {9})).status());
            assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), get(s, "GET", "/v2/").body(), "still in step after a HEAD and a 404");
        }
        assertEquals(2, relay.checked(), "the PEER and FIRST copies, not the COPY one");
        assertEquals(0, relay.mismatches());
        try (var written = Files.list(scratch)) {
            assertEquals(2, written.count(), "the blobs written on the way, kept as a node keeps them");
        }
        relay.deleteFiles();
        try (var left = Files.list(scratch)) {
            assertEquals(0, left.count());
        }
    }

    @ParameterizedTest
    @EnumSource(value = FloorRelay.Mode.class, names = {"PEER", "FIRST"})
    void aBlobWhoseBytesDoNotHashToItsDigestIsCountedWhenChecked(FloorRelay.Mode mode) throws Exception {
        relay.mode(mode);
        try (Socket s = connect(relay.authority())) {
            assertArrayEquals(OTHER, get(s, "GET", "/v2/r/blobs/" + LIED_ABOUT).body(), "passed on: the client's own check fails too");
        }
        assertEquals(1, relay.checked());
        assertEquals(1, relay.mismatches());
    }

    @Test
    void aTlsHelloIsAnsweredByClosingAndPlainHttpWorksAfter() throws Exception {
        try (Socket s = connect(relay.authority())) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x10});
            try {
                assertEquals(-1, s.getInputStream().read(), "closed, not answered");
            } catch (SocketException reset) {
                // closed with the rest of the hello unread: a reset, closed all the same
            }
        }
        try (Socket s = connect(relay.authority())) {
            assertEquals(200, get(s, "GET", "/v2/").status());
        }
    }

    @Test
    void aBodyOfNoStatedLengthIsPassedOnUntilTheRegistryCloses() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                FloorRelay toRaw = new FloorRelay(new InetSocketAddress("127.0.0.1", raw.getLocalPort()), scratch)) {
            Thread server = new Thread(() -> {
                try (Socket c = raw.accept()) {
                    readHead(c.getInputStream());
                    c.getOutputStream().write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length here".getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException ignored) {
                    // the test fails on what the client got
                }
            });
            server.start();
            try (Socket s = connect(toRaw.authority())) {
                s.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(all.endsWith("\r\n\r\nno length here"), all);
            }
            server.join();
        }
    }

    private record Answer(int status, byte[] body) {}

    /** One request on a kept connection, its answer read by its Content-Length (none for HEAD). */
    private static Answer get(Socket s, String method, String path) throws IOException {
        s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: relay\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:") && !method.equals("HEAD")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = new byte[length];
        new DataInputStream(in).readFully(body);
        return new Answer(status, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed within a head: " + head);
            }
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                return h;
            }
        }
    }

    private static Socket connect(String authority) throws IOException {
        String[] hostPort = authority.split(":");
        Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
