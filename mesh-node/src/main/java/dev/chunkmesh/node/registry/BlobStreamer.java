package dev.chunkmesh.node.registry;

import dev.chunkmesh.store.ChunkRef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Streams a blob (or a range of it) to an HTTP response in order, each chunk as soon as it is stored,
 * with up to {@value #WINDOW} chunk reads in flight on worker threads, a group of reads sent in one
 * write, and at most {@link #MAX_UNWRITTEN} bytes waiting for the socket. Chunks go out as the store read them: a view of its
 * mapped segment for a raw chunk, not a copy (measured faster on loopback than {@code sendfile} of file
 * regions, see BENCHMARKS.md); a compressed chunk decoded into pooled memory, given back once the socket
 * took it or its read was dropped.
 *
 * <p>For a whole blob coming through a pull, the last chunk is held back until the pull has checked the
 * blob's digest (the pull hashes it once, in order, as the chunks land): a blob that does not hash to its digest is
 * never completed (the connection is reset instead), so a client cannot take a wrong blob for a right
 * one. If a chunk cannot be read (found corrupt, or gone), the streamer switches to a pull of the
 * blob, which fetches it again from a peer or the origin, and carries on from that chunk.
 */
final class BlobStreamer {

    /** Where the chunks come from, in order: a blob's recipe as it is known and stored so far. */
    interface Feed {
        /** The {@code index}-th chunk once it is stored; empty once the blob is known to have fewer chunks. */
        CompletableFuture<Optional<ChunkRef>> whenStored(int index);
    }

    /**
     * Chunk reads in flight: about 8 MiB of 64 KiB chunks. Groups of 64 and writes of 4 MiB served a local
     * hit at 0.92x docker-registry where groups of 16 and writes of 1 MiB gave 0.79x (BENCHMARKS.md).
     */
    static final int WINDOW = 128;
    /** Chunks already stored are read this many to a worker task, not one task each. */
    static final int GROUP = 64;
    /** Chunks gathered for one write, at most this many bytes. */
    static final int BATCH_BYTES = 4 << 20;
    /** Bytes handed to the response and not yet taken by the socket, at most (Vert.x's queue counts writes, not bytes). */
    static final long MAX_UNWRITTEN = 2L * BATCH_BYTES;

    /** A read in flight; a dropped one is never sent, and its buffer is released when it ends. */
    private static final class Pending {
        final Future<Optional<Object>> read;
        boolean dropped;

        Pending(Future<Optional<Object>> read) {
            this.read = read;
        }
    }

    private final Context context;
    private final HttpServerResponse response;
    private final CompletableFuture<?> verified;
    private final Consumer<Long> sent;
    private final RangeReader reader;
    private Feed feed;
    /** Counts switches of the feed: reads begun under an earlier feed are never sent. */
    private int feedSwitches;
    private Supplier<Feed> fallback;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Integer> indexes = new ArrayDeque<>();
    private int nextToRead;
    private boolean endSeen;
    private boolean waitingForDrain;
    private boolean waitingForWrites;
    private long unwritten;
    private ByteBuf held;
    private CompositeByteBuf batch = Unpooled.compositeBuffer(64);
    private long batchBytes;
    private boolean stopped;
    private boolean filling;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();

    /**
     * @param reader reads each chunk's part of the range asked for
     * @param feed the chunks, as they are stored
     * @param fallback a pull of the blob, for when a chunk the feed named cannot be read; null for none
     * @param verified for a whole blob coming through a pull, the pull's outcome, which completes only once the
     *     blob's digest is checked: the last chunk is held back until then; null where nothing is held back
     * @param sent hears of bytes written, for metrics
     */
    BlobStreamer(Context context, RangeReader reader, Feed feed, Supplier<Feed> fallback, HttpServerResponse response,
                 CompletableFuture<?> verified, Consumer<Long> sent) {
        this.context = context;
        this.feed = feed;
        this.fallback = fallback;
        this.response = response;
        this.sent = sent;
        this.reader = reader;
        this.verified = verified;
    }

    /** Starts streaming; the future says whether the response was completed (true) or reset (false). */
    CompletableFuture<Boolean> start() {
        fill();
        return done;
    }

    /** Stops sending (the client's connection closed): nothing more is read or written, and what was read is released. */
    void stop() {
        stopped = true;
        dropInFlight();
        releaseUnsent();
        done.complete(false);
    }

    /**
     * Starts reads up to the window. Not re-entered: a read that completes while reads are being added
     * (its handler then runs at once) drains what is ready but adds none, so reads stay in order. If that
     * drain switched to a pull, the rest of the group being added is dropped, and reads go on from the
     * pull, from the chunk that could not be read.
     */
    private void fill() {
        if (filling) {
            return;
        }
        filling = true;
        try {
            fillWindow();
        } finally {
            filling = false;
        }
    }

    private void fillWindow() {
        while (!stopped && !endSeen && inFlight.size() < WINDOW) {
            int first = nextToRead;
            int switches = feedSwitches;
            CompletableFuture<Optional<ChunkRef>> head = feed.whenStored(first);
            if (!head.isDone() || head.isCompletedExceptionally()) {
                nextToRead++;
                add(first, switches, Future.fromCompletionStage(head, context).compose(ref -> ref.isEmpty()
                        ? Future.succeededFuture(Optional.empty()) : context.executeBlocking(() -> reader.readOrSkip(ref), false))
                        .compose(BlobStreamer::failedIfUnread), () -> true);
                continue;
            }
            List<Optional<ChunkRef>> refs = new ArrayList<>();
            refs.add(head.join());
            nextToRead++;
            while (refs.get(refs.size() - 1).isPresent() && refs.size() < GROUP && inFlight.size() + refs.size() < WINDOW) {
                CompletableFuture<Optional<ChunkRef>> next = feed.whenStored(nextToRead);
                if (!next.isDone() || next.isCompletedExceptionally()) {
                    break;
                }
                refs.add(next.join());
                nextToRead++;
            }
            Future<List<Optional<Object>>> group = context.executeBlocking(() -> refs.stream().map(reader::readOrSkip).toList(), false);
            int[] left = {refs.size()};
            for (int k = 0; k < refs.size(); k++) {
                int at = k;
                add(first + k, switches, group.compose(list -> failedIfUnread(list.get(at))), () -> --left[0] == 0);
            }
        }
    }

    /** A read that ended in {@link RangeReader.Failed} as a failed future: never sent, it leads to the fallback or an abort. */
    private static Future<Optional<Object>> failedIfUnread(Optional<Object> one) {
        return one.isPresent() && one.get() instanceof RangeReader.Failed f ? Future.failedFuture(f.cause()) : Future.succeededFuture(one);
    }

    /**
     * Adds a read begun under the feed as it was after {@code switches} switches: dropped if it has switched since.
     * Ready chunks are sent when {@code last} says the read completes its group, so a group goes out in one write.
     */
    private void add(int index, int switches, Future<Optional<Object>> read, BooleanSupplier last) {
        Pending p = new Pending(read);
        if (stopped || endSeen || switches != feedSwitches) {
            p.dropped = true;
        } else {
            inFlight.add(p);
            indexes.add(index);
        }
        read.onComplete(r -> {
            boolean groupRead = last.getAsBoolean();
            if (p.dropped) {
                RangeReader.release(r.succeeded() ? r.result() : Optional.empty());
            } else if (groupRead) {
                drain();
            }
        });
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
        while (!stopped && !waitingForDrain && !inFlight.isEmpty() && inFlight.peek().read.isComplete()) {
            if (unwritten >= MAX_UNWRITTEN) {
                waitingForWrites = true;
                return;
            }
            Pending head = inFlight.poll();
            int index = indexes.poll();
            if (head.read.failed()) {
                if (fallback != null) {
                    switchToPull(index);
                    return;
                }
                abort();
                return;
            }
            Optional<Object> got = head.read.result();
            if (got.isEmpty()) {
                endSeen = true;
                dropInFlight();
                flushBatch();
                finish();
                return;
            }
            if (got.get() != RangeReader.SKIP) {
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
        feedSwitches++;
        dropInFlight();
        nextToRead = index;
    }

    /** Forgets the reads in flight: what they read is never sent, and is released (now, or when the read ends). */
    private void dropInFlight() {
        for (Pending p : inFlight) {
            p.dropped = true;
            if (p.read.succeeded()) {
                RangeReader.release(p.read.result());
            }
        }
        inFlight.clear();
        indexes.clear();
    }

    /** Gives back what was read but not written: the chunk held back and the write being gathered. */
    private void releaseUnsent() {
        if (held != null) {
            held.release();
            held = null;
        }
        batch.release();
        batch = Unpooled.compositeBuffer(64);
        batchBytes = 0;
    }

    /** Sends a chunk; for a whole blob whose digest is still to be checked, sends the one held back and holds this one back. */
    private void send(Object chunk) {
        ByteBuf buf = (ByteBuf) chunk;
        if (verified == null) {
            write(buf);
            return;
        }
        if (held != null) {
            write(held);
        }
        held = buf;
    }

    /** Adds a chunk to the write being gathered: ready chunks go to the socket in one write, not one each. */
    private void write(ByteBuf buf) {
        batchBytes += buf.readableBytes();
        batch.addComponent(true, buf);
    }

    /** Writes the gathered chunks; their buffers are released once the socket took them (or the write failed). */
    private void flushBatch() {
        if (batchBytes == 0 || stopped) {
            return;
        }
        CompositeByteBuf out = batch;
        long n = batchBytes;
        batch = Unpooled.compositeBuffer(64);
        batchBytes = 0;
        unwritten += n;
        response.write(BufferInternal.buffer(out)).onComplete(r -> {
            out.release();
            unwritten -= n;
            if (r.failed()) {
                abort();
            } else if (waitingForWrites && unwritten < MAX_UNWRITTEN) {
                waitingForWrites = false;
                drain();
            }
        });
        sent.accept(n);
    }

    private void finish() {
        if (verified == null) {
            response.end();
            done.complete(true);
            return;
        }
        flushBatch();
        verified.whenComplete((v, e) -> context.runOnContext(x -> {
            if (stopped) {
                return;
            }
            if (e != null) {
                abort();
                return;
            }
            if (held != null) {
                write(held);
                held = null;
                flushBatch();
            }
            response.end();
            done.complete(true);
        }));
    }

    private void abort() {
        stop();
        response.reset();
    }
}
