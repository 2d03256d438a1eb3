package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.FastCdc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least work a node can do per byte of a blob it hands on, as a bench reference, not part of the
 * node: a blocking HTTP/1.1 relay in front of a registry, one thread per connection, 1 MiB buffers, no
 * index, no peers, no Hazelcast, no fsync (docker-registry does not fsync either).
 * <ul>
 * <li>{@link Mode#COPY} passes every answer through untouched, as any proxy that reads the bytes must.
 * <li>{@link Mode#PEER} also does, for each blob answered 200, what a node taking chunks from a peer
 * cannot skip when it trusts no peer and no recipe: it hashes each chunk (pieces of the chunker's
 * average size) and the whole blob, and writes the blob to a file, kept until {@link #deleteFiles}, as a
 * node keeps what it stores.
 * <li>{@link Mode#FIRST} cuts the chunks with the nodes' FastCDC instead, at the nodes' cut points, as a
 * first pull from the origin must.
 * </ul>
 * Each 1 MiB buffer is hashed and written before it is passed on; a chunk that runs past a buffer's end
 * is hashed with the next one. A blob whose bytes do not hash to the digest asked for is counted
 * ({@link #mismatches}) before its last buffer goes out; the rest was passed on by then, so the client's
 * own check fails too. A TLS hello is answered by closing the connection, so a client that tries HTTPS
 * first (skopeo) falls back to HTTP. Requests with a body are refused (a registry mirror has none).
 */
final class FloorRelay implements AutoCloseable {
    /** What the relay does to a blob's bytes on the way. */
    enum Mode { COPY, PEER, FIRST }

    private static final int BUFFER = 1 << 20;

    private final ServerSocketChannel server;
    private final InetSocketAddress upstream;
    private final Path scratch;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private volatile Mode mode = Mode.COPY;

    /** Relays to the registry at {@code upstream} from a free loopback port, writing its files under {@code scratch}. */
    FloorRelay(InetSocketAddress upstream, Path scratch) throws IOException {
        this.upstream = upstream;
        this.scratch = Files.createDirectories(scratch);
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread accept = new Thread(this::acceptLoop, "floor-relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** host:port, as image references name it. */
    String authority() throws IOException {
        return "127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Sets what the relay does to the blobs of requests that start from now on. */
    void mode(Mode mode) {
        this.mode = mode;
    }

    /** Blobs relayed in {@link Mode#PEER} or {@link Mode#FIRST} to the end. */
    long checked() {
        return checked.get();
    }

    /** Of those, the blobs whose bytes did not hash to the digest asked for. */
    long mismatches() {
        return mismatches.get();
    }

    private void acceptLoop() {
        try (server) {
            while (true) {
                SocketChannel client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "floor-relay");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closedOrFailed) {
            // no more clients: the port is closed with the loop
        }
    }

    /** Relays requests of one client connection, in turn, over one connection to the registry. */
    private void serve(SocketChannel clientChannel) {
        SocketChannel upChannel = null;
        try (clientChannel) {
            clientChannel.socket().setTcpNoDelay(true);
            HttpWire client = new HttpWire(clientChannel);
            HttpWire up = null;
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            while (true) {
                Optional<String> request = client.head();
                if (request.isEmpty()) {
                    return;
                }
                String[] line = request.get().split(" ", 3);
                if (line.length < 3 || HttpWire.header(request.get(), "transfer-encoding").isPresent()
                        || HttpWire.contentLength(request.get()).orElse(0L) != 0) {
                    throw new IOException("not a registry pull's request: " + line[0]);
                }
                if (up == null) {
                    upChannel = SocketChannel.open(upstream);
                    open.add(upChannel);
                    upChannel.socket().setTcpNoDelay(true);
                    up = new HttpWire(upChannel);
                }
                up.write(ByteBuffer.wrap(request.get().getBytes(StandardCharsets.ISO_8859_1)));
                String response = up.head().orElseThrow(() -> new IOException("the registry closed the connection"));
                int status = HttpWire.status(response);
                if (HttpWire.header(response, "transfer-encoding").isPresent()) {
                    throw new IOException("chunked answers are not relayed: " + line[1]);
                }
                client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
                boolean bodiless = line[0].equals("HEAD") || status == 204 || status == 304 || status < 200;
                Optional<Long> length = HttpWire.contentLength(response);
                if (!bodiless && length.isEmpty()) {
                    up.copyToEnd(client, buf); // the body ends when the registry closes
                    return;
                }
                long bytes = bodiless ? 0 : length.get();
                int blobs = line[1].indexOf("/blobs/");
                Mode now = mode;
                if (bytes > 0 && now != Mode.COPY && line[0].equals("GET") && status == 200 && blobs >= 0) {
                    checkedCopy(up, client, bytes, Digest.parse(line[1].substring(blobs + "/blobs/".length())), now == Mode.FIRST, buf);
                } else {
                    up.copy(client, bytes, buf);
                }
                if (HttpWire.header(response, "connection").filter("close"::equalsIgnoreCase).isPresent()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client or the registry went away, or sent what a registry pull does not: the connection ends
        } finally {
            open.remove(clientChannel);
            if (upChannel != null) {
                open.remove(upChannel);
                HttpWire.closeQuietly(upChannel);
            }
        }
    }

    /** Passes {@code length} bytes on as {@link HttpWire#copy} does, hashing and writing each full buffer first. */
    private void checkedCopy(HttpWire from, HttpWire to, long length, Digest expected, boolean fastCdc, ByteBuffer buf) throws IOException {
        MessageDigest whole = Digest.newSha256();
        MessageDigest chunk = Digest.newSha256();
        FastCdc cdc = new FastCdc(ChunkerParams.DEFAULTS);
        int maxSize = ChunkerParams.DEFAULTS.maxSize();
        int avgSize = ChunkerParams.DEFAULTS.avgSize();
        byte[] heap = new byte[BUFFER + maxSize];
        int held = 0; // bytes of a chunk not ended yet, at the start of heap
        Path file = scratch.resolve("blob-" + files.incrementAndGet());
        boolean complete = false;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = length; left > 0; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                from.readFully(buf);
                int got = buf.position();
                left -= got;
                buf.flip().get(heap, held, got);
                whole.update(heap, held, got);
                int end = held + got;
                int at = 0;
                while (end - at >= maxSize || (left == 0 && at < end)) {
                    int cut = fastCdc ? cdc.cut(heap, at, end - at).length() : Math.min(end - at, avgSize);
                    chunk.update(heap, at, cut);
                    chunk.digest();
                    at += cut;
                }
                System.arraycopy(heap, at, heap, 0, end - at);
                held = end - at;
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (left == 0) {
                    if (!Digest.ofBytes(whole.digest()).equals(expected)) {
                        mismatches.incrementAndGet();
                    }
                    checked.incrementAndGet();
                }
                to.write(buf.flip());
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Deletes the blobs written so far. */
    void deleteFiles() throws IOException {
        FileTrees.deleteRecursively(scratch);
        Files.createDirectories(scratch);
    }

    /** Stops taking clients and closes every connection open now. */
    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(HttpWire::closeQuietly);
    }
}
