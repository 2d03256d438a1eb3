package dev.chunkmesh.node.registry;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Streams a blob (or a range of it) to an HTTP response in order, each chunk as soon as it is stored,
 * with up to {@value #WINDOW} chunk reads in flight on worker threads and the response's write queue
 * respected. Chunks go out as the store read them (a view, not a copy, for chunks stored raw).
 *
 * <p>For a whole blob, the blob's SHA-256 is computed once, in order, on a worker, and the last chunk
 * is held back until it is checked: a blob that does not hash to its digest is never completed (the
 * connection is reset instead), so a client cannot take a wrong blob for a right one. If a held chunk
 * cannot be read (found corrupt, or gone), the streamer switches to a pull of the blob, which fetches
 * it again from a peer or the origin, and carries on from that chunk.
 */
final class BlobStreamer {

    /** Where the chunks come from, in order: a blob's recipe as it is known and stored so far. */
    interface Feed {
        /** The {@code index}-th chunk once it is stored; empty once the blob is known to have fewer chunks. */
        CompletableFuture<Optional<ChunkRef>> whenStored(int index);
    }

    static final int WINDOW = 16;
    private static final Buffer SKIP = Buffer.buffer();

    private record Pending(int index, Future<Optional<Buffer>> read) {}

    private final Context context;
    private final ChunkStore store;
    private final Digest blob;
    private final HttpServerResponse response;
    private final ByteRange range;
    private final Optional<MessageDigest> whole;
    private final Consumer<Long> sent;
    private Feed feed;
    private Supplier<Feed> fallback;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private int nextToRead;
    private boolean endSeen;
    private boolean waitingForDrain;
    private Buffer held;
    /** Chunks gathered for the next write, at most {@value #BATCH_BYTES} bytes. */
    private io.netty.buffer.CompositeByteBuf batch = Unpooled.compositeBuffer(64);
    private long batchBytes;
    static final int BATCH_BYTES = 1 << 20;
    private Future<Void> hashed = Future.succeededFuture();
    private boolean stopped;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();

    /**
     * @param feed the chunks, as they are stored
     * @param fallback a pull of the blob, for when a chunk the feed named cannot be read; null for none
     * @param verifyWhole whether {@code range} is the whole blob, so its digest can be checked
     * @param sent hears of bytes written, for metrics
     */
    BlobStreamer(Context context, ChunkStore store, Digest blob, Feed feed, Supplier<Feed> fallback, HttpServerResponse response,
                 ByteRange range, boolean verifyWhole, Consumer<Long> sent) {
        this.context = context;
        this.store = store;
        this.blob = blob;
        this.feed = feed;
        this.fallback = fallback;
        this.response = response;
        this.range = range;
        this.sent = sent;
        try {
            this.whole = verifyWhole ? Optional.of(MessageDigest.getInstance("SHA-256")) : Optional.empty();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts streaming; the future says whether the response was completed (true) or reset (false). */
    CompletableFuture<Boolean> start() {
        fill();
        return done;
    }

    /** Stops sending: the client's connection closed. */
    void stop() {
        stopped = true;
        done.complete(false);
    }

    private void fill() {
        while (!stopped && !endSeen && inFlight.size() < WINDOW) {
            int index = nextToRead++;
            Feed from = feed;
            Future<Optional<Buffer>> read = Future.fromCompletionStage(from.whenStored(index), context).compose(ref -> {
                if (ref.isEmpty() || ref.get().offset() >= range.end()) {
                    return Future.succeededFuture(Optional.empty());
                }
                if (ref.get().end() <= range.start()) {
                    return Future.succeededFuture(Optional.of(SKIP));
                }
                ChunkRef c = ref.get();
                return context.executeBlocking(() -> Optional.of(read(c)), false);
            });
            inFlight.add(new Pending(index, read));
            read.onComplete(r -> drain());
        }
    }

    private void drain() {
        try {
            drainReady();
        } finally {
            flushBatch();
        }
        fill();
    }

    private void drainReady() {
        while (!stopped && !waitingForDrain && !inFlight.isEmpty() && inFlight.peek().read().isComplete()) {
            Pending head = inFlight.poll();
            if (head.read().failed()) {
                if (fallback != null) {
                    switchToPull(head.index());
                    return;
                }
                abort();
                return;
            }
            Optional<Buffer> got = head.read().result();
            if (got.isEmpty()) {
                endSeen = true;
                inFlight.clear();
                flushBatch();
                finish();
                return;
            }
            if (got.get() != SKIP) {
                send(got.get());
            }
            if (batchBytes >= BATCH_BYTES) {
                flushBatch();
            }
            if (response.writeQueueFull()) {
                waitingForDrain = true;
                response.drainHandler(v -> {
                    waitingForDrain = false;
                    drain();
                });
            }
        }
    }

    /** A chunk named by the feed could not be read: a pull fetches it again; carry on from it. */
    private void switchToPull(int index) {
        feed = fallback.get();
        fallback = null;
        inFlight.clear();
        nextToRead = index;
    }

    /** Sends the chunk held back before this one; for a whole blob, hashes this one and holds it back. */
    private void send(Buffer buf) {
        if (whole.isEmpty()) {
            write(buf);
            return;
        }
        if (held != null) {
            write(held);
        }
        held = buf;
        ByteBuffer bytes = ((BufferInternal) buf).getByteBuf().nioBuffer();
        MessageDigest sha = whole.get();
        // Each step is submitted only when the one before has run: in order for this blob, in parallel with others.
        hashed = hashed.compose(v -> context.executeBlocking(() -> {
            sha.update(bytes);
            return null;
        }, false));
    }

    /** Adds a chunk to the write being gathered: ready chunks go to the socket in one write, not one each. */
    private void write(Buffer buf) {
        batch.addComponent(true, ((BufferInternal) buf).getByteBuf());
        batchBytes += buf.length();
    }

    private void flushBatch() {
        if (batchBytes == 0 || stopped) {
            return;
        }
        io.netty.buffer.CompositeByteBuf out = batch;
        long n = batchBytes;
        batch = Unpooled.compositeBuffer(64);
        batchBytes = 0;
        response.write(BufferInternal.buffer(out)).onFailure(e -> abort());
        sent.accept(n);
    }

    private void finish() {
        if (whole.isEmpty()) {
            response.end();
            done.complete(true);
            return;
        }
        hashed.onComplete(r -> {
            if (stopped) {
                return;
            }
            if (r.failed() || !Digest.ofBytes(whole.get().digest()).equals(blob)) {
                abort();
                return;
            }
            if (held != null) {
                write(held);
                flushBatch();
            }
            response.end();
            done.complete(true);
        });
    }

    private Buffer read(ChunkRef c) {
        ByteBuffer raw = store.getBuffer(c.digest());
        int from = (int) Math.max(0, range.start() - c.offset());
        int to = (int) Math.min(c.length(), range.end() - c.offset());
        if (raw.remaining() != c.length()) {
            throw new dev.chunkmesh.store.ChunkCorruptException(c.digest(), "stored chunk has " + raw.remaining() + " bytes, the recipe "
                    + c.length());
        }
        ByteBuffer part = from == 0 && to == raw.remaining() ? raw : raw.slice(raw.position() + from, to - from);
        return BufferInternal.buffer(Unpooled.wrappedBuffer(part));
    }

    private void abort() {
        stopped = true;
        done.complete(false);
        response.reset();
    }
}
