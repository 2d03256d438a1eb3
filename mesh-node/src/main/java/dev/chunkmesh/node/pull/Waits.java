package dev.chunkmesh.node.pull;

import io.vertx.core.Future;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
