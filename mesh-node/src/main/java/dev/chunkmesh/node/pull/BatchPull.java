package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.plan.SourceKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Several blobs pulled at once (an image's config and layers, or a release from a catalog), with a
 * progress figure for a progress bar and the reports of all of them at the end. Fails as soon as one
 * blob fails.
 */
public final class BatchPull {

    /** The outcome: every blob's report, the bytes by source summed, the wall time of the batch. */
    public record Result(List<PullReport> blobs, Map<SourceKind, Long> bytesBySource, double seconds) {}

    private final Map<BlobRequest, PullService.Pull> pulls = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    public BatchPull(PullService service, List<BlobRequest> blobs) {
        for (BlobRequest b : blobs) {
            if (pulls.keySet().stream().noneMatch(p -> p.blob().equals(b.blob()))) {
                pulls.put(b, service.pull(b.origin(), b.repository(), b.blob()));
            }
        }
    }

    /** Bytes of all blobs; blobs of unknown size count once their recipe is known. */
    public long totalBytes() {
        long n = 0;
        for (var e : pulls.entrySet()) {
            long size = e.getKey().size() >= 0 ? e.getKey().size() : e.getValue().progress().size();
            n += Math.max(0, size);
        }
        return n;
    }

    /** Bytes held so far, whatever their source. */
    public long doneBytes() {
        return pulls.values().stream().mapToLong(p -> p.result().isDone() && !p.result().isCompletedExceptionally()
                ? p.result().join().size() : p.progress().storedBytes()).sum();
    }

    public int blobs() {
        return pulls.size();
    }

    public CompletableFuture<Result> result() {
        List<CompletableFuture<PullReport>> all = pulls.values().stream().map(PullService.Pull::result).toList();
        CompletableFuture<Result> out = new CompletableFuture<>();
        all.forEach(f -> f.whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        }));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<PullReport> reports = new ArrayList<>();
            Map<SourceKind, Long> bytes = new EnumMap<>(SourceKind.class);
            for (CompletableFuture<PullReport> f : all) {
                PullReport r = f.join();
                reports.add(r);
                r.bytesBySource().forEach((k, n) -> bytes.merge(k, n, Long::sum));
            }
            out.complete(new Result(reports, bytes, (System.nanoTime() - started) / 1e9));
        });
        return out;
    }
}
