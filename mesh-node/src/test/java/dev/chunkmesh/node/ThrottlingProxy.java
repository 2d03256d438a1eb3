package dev.chunkmesh.node;

import dev.chunkmesh.node.origin.Bandwidth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A TCP proxy on loopback that holds everything flowing back from its target to one shared rate,
 * like a WAN link to a distant origin (this kernel has no netem; rate is what matters for these
 * figures). Requests flow through unthrottled.
 */
public final class ThrottlingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Bandwidth downstream;

    public ThrottlingProxy(InetSocketAddress target, long bytesPerSecond) throws IOException {
        this.target = target;
        this.downstream = new Bandwidth(bytesPerSecond, 64 * 1024);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "throttling-proxy");
        t.setDaemon(true);
        t.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                pump(client.getInputStream(), upstream.getOutputStream(), null, client, upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), downstream, client, upstream);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(InputStream in, OutputStream out, Bandwidth limit, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (limit != null) {
                        limit.take(n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed
            } finally {
                close(a);
                close(b);
            }
        }, "throttling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
