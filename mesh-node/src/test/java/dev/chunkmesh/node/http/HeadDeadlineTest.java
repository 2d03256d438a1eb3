package dev.chunkmesh.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Vert.x router on loopback under a 1 s head deadline, HTTP/1.1 only as the peer and admin APIs, and raw sockets as clients. */
class HeadDeadlineTest {
    private Vertx vertx;
    private HeadDeadline deadline;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        deadline = new HeadDeadline(vertx, Duration.ofSeconds(1));
        Router router = Router.router(vertx);
        router.get("/slow").handler(ctx -> vertx.setTimer(2500, t -> ctx.response().end("ok")));
        router.post("/upload").handler(BodyHandler.create(false)).handler(ctx -> ctx.response().end("ok"));
        router.get("/").handler(ctx -> ctx.response().end("ok"));
        HttpServer server = deadline.serve(vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)), router);
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        deadline.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatDripFeedsARequestHeadIsCutOffAfterTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write(head[i % head.length]);
                    out.flush();
                    Thread.sleep(150);
                } catch (IOException closed) {
                    cut = true;
                }
            }
            s.setSoTimeout(3000);
            cut = cut || s.getInputStream().read() == -1;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(cut, "the server closed the connection");
            assertTrue(seconds < 3.5, "within the deadline and a sweep: " + seconds + " s");
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedOnceItWaitsLongerThanTheDeadlineButNotWhileItsRequestIsServed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readResponse(in);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok"), "a 2.5 s answer is not cut: " + answer);
            long start = System.nanoTime();
            assertEquals(-1, in.read(), "then the idle kept-alive connection is closed");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds > 0.9 && seconds < 3, "after about the deadline: " + seconds + " s");
        }
    }

    @Test
    void aClientThatDripFeedsARequestBodyIsCutOffAfterTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write('x');
                    out.flush();
                    Thread.sleep(150);
                } catch (IOException closed) {
                    cut = true;
                }
            }
            s.setSoTimeout(3000);
            cut = cut || s.getInputStream().read() == -1;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(cut, "the server closed the connection");
            assertTrue(seconds < 3.5, "within the deadline and a sweep: " + seconds + " s");
        }
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("ok")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
