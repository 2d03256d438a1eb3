package dev.chunkmesh.node.registry;

import dev.chunkmesh.node.pull.BlobProgress;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Streams a blob (or a range of it) to an HTTP response in order, each chunk as soon as it is stored
 * and verified, while later chunks are still arriving. Store reads and hashing run on worker threads;
 * the response's write queue is respected. When the whole blob is sent its digest is checked at the
 * end, and a mismatch, or any failure of the pull, aborts the connection instead of completing the
 * response, so a client never takes a wrong blob for a right one.
 */
final class BlobStreamer {
    private final Context context;
    private final ChunkStore store;
    private final BlobProgress progress;
    private final HttpServerResponse response;
    private final ByteRange range;
    private final Optional<MessageDigest> whole;
    private final Consumer<Long> sent;
    private boolean stopped;

    /**
     * @param range the bytes to send
     * @param verifyWhole whether {@code range} is the whole blob, so its digest can be checked
     * @param sent hears of bytes written, for metrics
     */
    BlobStreamer(Context context, ChunkStore store, BlobProgress progress, HttpServerResponse response, ByteRange range, boolean verifyWhole,
                 Consumer<Long> sent) {
        this.context = context;
        this.store = store;
        this.progress = progress;
        this.response = response;
        this.range = range;
        this.sent = sent;
        try {
            this.whole = verifyWhole ? Optional.of(MessageDigest.getInstance("SHA-256")) : Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops sending: the client's connection closed. */
    void stop() {
        stopped = true;
    }

    void start() {
        next(0);
    }

    private void next(int index) {
        if (stopped) {
            return;
        }
        Future.fromCompletionStage(progress.whenStored(index), context).onFailure(this::abort).onSuccess(ref -> {
            if (ref.isEmpty() || ref.get().offset() >= range.end()) {
                finish();
            } else if (ref.get().end() <= range.start()) {
                next(index + 1);
            } else {
                ChunkRef c = ref.get();
                context.<Buffer>executeBlocking(() -> read(c), false).onFailure(this::abort).onSuccess(buf -> {
                    response.write(buf).onFailure(this::abort);
                    sent.accept((long) buf.length());
                    if (response.writeQueueFull()) {
                        response.drainHandler(v -> next(index + 1));
                    } else {
                        next(index + 1);
                    }
                });
            }
        });
    }

    private Buffer read(ChunkRef c) {
        byte[] raw = store.get(c.digest());
        whole.ifPresent(sha -> sha.update(raw));
        int from = (int) Math.max(0, range.start() - c.offset());
        int to = (int) Math.min(c.length(), range.end() - c.offset());
        return Buffer.buffer(from == 0 && to == raw.length ? raw : java.util.Arrays.copyOfRange(raw, from, to));
    }

    private void finish() {
        if (whole.isPresent() && !Digest.ofBytes(whole.get().digest()).equals(progress.blob())) {
            abort(new IllegalStateException("blob " + progress.blob() + " did not hash to its digest"));
            return;
        }
        response.end();
    }

    private void abort(Throwable cause) {
        stopped = true;
        response.reset();
    }
}
