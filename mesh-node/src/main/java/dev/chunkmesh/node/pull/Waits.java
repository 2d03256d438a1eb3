package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.pull.PullRules;
import dev.chunkmesh.node.peer.PeerBusyException;
import io.vertx.core.Future;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Blocking waits for pull threads (never event loops). */
final class Waits {
    private Waits() {
    }

    /** The future's result, or its failure rethrown as is; a timeout is an {@link InterruptedIOException}. */
    static <T> T await(Future<T> f, Duration timeout) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        } catch (TimeoutException e) {
            throw new InterruptedIOException("no answer within " + timeout.toSeconds() + " s");
        }
    }

    /**
     * The answer of a peer to a request, {@code first} being the first try. A busy answer (all the peer's upload
     * slots taken, as when several nodes follow it at once) is not a failure: the request is made again by
     * {@code again} after {@link PullRules#DEFAULT_BUSY_BACKOFF}, until the peer has answered nothing but busy
     * for {@code timeout}; then, and on any other failure, the failure is rethrown as {@link #await} does.
     */
    static <T> T awaitServed(Future<T> first, Supplier<Future<T>> again, Duration timeout) throws Exception {
        Future<T> answer = first;
        long busySince = 0;
        while (true) {
            try {
                return await(answer, timeout);
            } catch (PeerBusyException busy) {
                long now = System.nanoTime();
                if (busySince == 0) {
                    busySince = now;
                } else if (now - busySince > timeout.toNanos()) {
                    throw busy;
                }
                sleep(PullRules.DEFAULT_BUSY_BACKOFF);
                answer = again.get();
            }
        }
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
