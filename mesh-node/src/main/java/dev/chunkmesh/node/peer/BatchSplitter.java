package dev.chunkmesh.node.peer;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.chunker.ChunkerParams;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Splits a batch answer ({@link PeerApi}: digest, frame length, frame; repeated) into frames as its
 * body arrives, copying each byte once, into its frame, instead of gathering the whole body first. A
 * frame of a chunk that was not asked for, a frame longer than any chunk, or a body that ends inside
 * a record makes {@link #frames} fail; nothing is checked against its digest here (the store does that).
 * Used on one event loop, as the body's write stream.
 */
final class BatchSplitter implements WriteStream<Buffer> {
    /** A frame is never longer than the largest chunk plus its header. */
    static final int MAX_FRAME = ChunkerParams.MAXIMUM_MAX + ChunkFrame.HEADER_SIZE;
    /** The start of the body kept as text, for the error message of an answer that is not a batch. */
    private static final int TEXT_KEPT = 512;

    private final String peer;
    private final Set<Digest> wanted;
    private final Map<Digest, byte[]> frames = new LinkedHashMap<>();
    private final byte[] head = new byte[PeerApi.BATCH_HEAD];
    private int headFill;
    private Digest current;
    private byte[] frame;
    private int frameFill;
    private RuntimeException failure;
    private final StringBuilder text = new StringBuilder();

    BatchSplitter(String peer, Set<Digest> wanted) {
        this.peer = peer;
        this.wanted = wanted;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (text.length() < TEXT_KEPT) {
            text.append(data.getString(0, Math.min(data.length(), TEXT_KEPT - text.length()), StandardCharsets.UTF_8.name()));
        }
        int pos = 0;
        while (failure == null && pos < data.length()) {
            if (frame == null) {
                int n = Math.min(head.length - headFill, data.length() - pos);
                data.getBytes(pos, pos + n, head, headFill);
                headFill += n;
                pos += n;
                if (headFill == head.length) {
                    startFrame();
                }
            } else {
                int n = Math.min(frame.length - frameFill, data.length() - pos);
                data.getBytes(pos, pos + n, frame, frameFill);
                frameFill += n;
                pos += n;
            }
            if (frame != null && frameFill == frame.length) {
                frames.put(current, frame);
                frame = null;
                headFill = 0;
            }
        }
        return Future.succeededFuture();
    }

    private void startFrame() {
        current = Digest.ofBytes(Arrays.copyOf(head, 32));
        int length = ByteBuffer.wrap(head).getInt(32);
        if (!wanted.contains(current)) {
            failure = new ChunkCorruptException(current, "peer " + peer + " sent a chunk that was not asked for");
        } else if (length < 0 || length > MAX_FRAME) {
            failure = new PeerUnavailableException(peer, 200, "batch answer has a frame of " + length + " bytes", null);
        } else {
            frame = new byte[length];
            frameFill = 0;
        }
    }

    /** The frames of a complete batch answer, in the order they came; fails as described on the class. */
    Map<Digest, byte[]> frames() {
        if (failure != null) {
            throw failure;
        }
        if (frame != null || headFill != 0) {
            throw new PeerUnavailableException(peer, 200, "batch answer is truncated", null);
        }
        return frames;
    }

    /** The start of the body as text, for an answer that was a refusal rather than a batch. */
    String text() {
        return text.toString();
    }

    @Override
    public Future<Void> end() {
        return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
