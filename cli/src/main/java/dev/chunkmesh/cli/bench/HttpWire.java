package dev.chunkmesh.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One blocking HTTP/1.1 connection of {@link FloorRelay}, read in 16 KiB pieces: {@link #head} returns one
 * message head, and the bytes read past it are the first handed out by {@link #copy}, {@link #readFully}
 * and {@link #copyToEnd}.
 */
final class HttpWire {
    private static final int MAX_HEAD = 16 * 1024;

    private final SocketChannel channel;
    /** Bytes read and not handed out yet, between position and limit. */
    private final ByteBuffer pending = ByteBuffer.allocate(MAX_HEAD).flip();

    HttpWire(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * The next message head, up to and with its blank line; empty when the other side closed between
     * messages or opened with a TLS hello. Fails on a head over 16 KiB or a close within one.
     */
    Optional<String> head() throws IOException {
        int scanned = 0;
        while (true) {
            if (pending.hasRemaining() && pending.get(pending.position()) == 0x16 && scanned == 0) {
                return Optional.empty();
            }
            for (int i = pending.position() + Math.max(0, scanned - 3); i + 3 < pending.limit(); i++) {
                if (pending.get(i) == '\r' && pending.get(i + 1) == '\n' && pending.get(i + 2) == '\r' && pending.get(i + 3) == '\n') {
                    int length = i + 4 - pending.position();
                    byte[] head = new byte[length];
                    pending.get(head);
                    return Optional.of(new String(head, StandardCharsets.ISO_8859_1));
                }
            }
            scanned = pending.remaining();
            if (pending.position() > 0) {
                pending.compact().flip();
            }
            if (pending.limit() == pending.capacity()) {
                throw new IOException("a message head over " + MAX_HEAD + " bytes");
            }
            pending.position(pending.limit()).limit(pending.capacity());
            int n = channel.read(pending);
            pending.flip();
            if (n < 0) {
                if (pending.hasRemaining()) {
                    throw new IOException("closed within a message head");
                }
                return Optional.empty();
            }
        }
    }

    /** Reads into {@code dst} until it is full: the bytes read past the last head first. */
    void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new IOException("closed mid-body");
            }
        }
    }

    /** Passes {@code length} bytes of a body on to {@code to}, through {@code buf}. */
    void copy(HttpWire to, long length, ByteBuffer buf) throws IOException {
        for (long left = length; left > 0; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = read(buf);
            if (n < 0) {
                throw new IOException("closed mid-body");
            }
            left -= n;
            to.write(buf.flip());
        }
    }

    /** Passes every byte on to {@code to} until this side closes: a body of no stated length. */
    void copyToEnd(HttpWire to, ByteBuffer buf) throws IOException {
        while (true) {
            buf.clear();
            if (read(buf) < 0) {
                return;
            }
            to.write(buf.flip());
        }
    }

    void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private int read(ByteBuffer dst) throws IOException {
        if (!pending.hasRemaining()) {
            return channel.read(dst);
        }
        int n = Math.min(pending.remaining(), dst.remaining());
        dst.put(pending.slice(pending.position(), n));
        pending.position(pending.position() + n);
        return n;
    }

    /** The status code of a response head; fails on a head that is not HTTP/1.x. */
    static int status(String head) throws IOException {
        if (head.length() < 12 || !head.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response");
        }
        try {
            return Integer.parseInt(head.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("no status code in " + head.lines().findFirst().orElse(""), e);
        }
    }

    /** The value of a header, matched without case. */
    static Optional<String> header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** Content-Length, when stated; fails when it is not a length. */
    static Optional<Long> contentLength(String head) throws IOException {
        Optional<String> value = header(head, "content-length");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long length = Long.parseLong(value.get());
            if (length < 0) {
                throw new NumberFormatException(value.get());
            }
            return Optional.of(length);
        } catch (NumberFormatException e) {
            throw new IOException("Content-Length is not a length: " + value.get(), e);
        }
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
