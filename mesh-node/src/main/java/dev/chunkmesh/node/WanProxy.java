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
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that makes its target look far away, since this kernel has no netem: every
 * byte flowing back from the target is delayed by {@code delay} (a delay line, so throughput is kept)
 * and all connections together are held to one rate, like a shared WAN link. Requests flow through
 * at once, so a request/answer round trip gains {@code delay}. For tests and benches ({@code mesh bench pull}).
 */
public final class WanProxy implements AutoCloseable {
    private record Piece(byte[] bytes, long dueNanos) {}

    private static final Piece END = new Piece(new byte[0], 0);
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Bandwidth downstream;
    private final long delayNanos;

    public WanProxy(InetSocketAddress target, long bytesPerSecond, Duration delay) throws IOException {
        this(InetAddress.getLoopbackAddress(), target, bytesPerSecond, delay);
    }

    /** A proxy listening on {@code bind} (for example the host's end of a test network namespace). */
    public WanProxy(InetAddress bind, InetSocketAddress target, long bytesPerSecond, Duration delay) throws IOException {
        this.target = target;
        this.downstream = new Bandwidth(bytesPerSecond, 64 * 1024);
        this.delayNanos = delay.toNanos();
        this.server = new ServerSocket(0, 50, bind);
        daemon(this::accept, "wan-proxy");
    }

    public URI url() {
        return URI.create("http://" + hostPort());
    }

    public String hostPort() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                daemon(() -> copy(client, upstream), "wan-proxy-up");
                BlockingQueue<Piece> line = new LinkedBlockingQueue<>();
                daemon(() -> readInto(upstream, client, line), "wan-proxy-read");
                daemon(() -> deliver(line, client, upstream), "wan-proxy-deliver");
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private void readInto(Socket upstream, Socket client, BlockingQueue<Piece> line) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = upstream.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                line.add(new Piece(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
            }
        } catch (IOException e) {
            // upstream closed
        } finally {
            line.add(END);
        }
    }

    private void deliver(BlockingQueue<Piece> line, Socket client, Socket upstream) {
        try (OutputStream out = client.getOutputStream()) {
            for (Piece p = line.take(); p != END; p = line.take()) {
                long wait = p.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                downstream.take(p.bytes().length);
                out.write(p.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // client closed
        } finally {
            close(client);
            close(upstream);
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
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
