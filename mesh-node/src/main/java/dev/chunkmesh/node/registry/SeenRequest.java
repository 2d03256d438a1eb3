package dev.chunkmesh.node.registry;

import dev.chunkmesh.node.pull.PullReport;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What a mirror request was for, learnt as it is parsed and served; its end is told to the observer once. */
final class SeenRequest {
    String kind = "other";
    String repository = "";
    String reference = "";
    CompletableFuture<PullReport> pull;
    Runnable onClose = () -> { };
    /** Body bytes sent, file regions included (the response counts only what went through it). */
    long bytes;
    private boolean told;

    /** Tells {@code observer} once how the request ended; for a blob, after its pull has ended too. */
    void tell(HttpServerRequest req, int status, long start, RegistryServer.Observer observer) {
        if (told) {
            return;
        }
        told = true;
        long nanos = System.nanoTime() - start;
        long sent = Math.max(req.response().bytesWritten(), bytes);
        String client = req.remoteAddress() == null ? "-" : req.remoteAddress().hostAddress();
        if (pull == null) {
            observer.request(new MirrorRequest(req.method().name(), kind, repository, reference, status, sent, nanos, client,
                    Optional.empty()));
            return;
        }
        pull.whenComplete((report, failed) -> observer.request(new MirrorRequest(req.method().name(), kind, repository, reference,
                status, sent, nanos, client, Optional.ofNullable(report))));
    }
}
