package dev.chunkmesh.node.registry;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.pull.PullReport;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One finished request to the mirror, for metrics and the access log.
 *
 * @param kind base, manifest, blob or other
 * @param repository the repository asked for ("" for none)
 * @param reference the tag or digest asked for ("" for none)
 * @param status the HTTP status sent, or 0 when the connection was cut before the response ended
 * @param bytes body bytes written to the client
 * @param sources for a blob, where the node's copy of it came from, once its pull ended
 */
public record MirrorRequest(String method, String kind, String repository, String reference, int status, long bytes, long nanos,
                            String client, Optional<PullReport> sources) {

    /** One line of the access log: {@code key=value} pairs, in a fixed order. */
    public String logLine() {
        StringBuilder b = new StringBuilder("mirror ").append(method).append(' ').append(kind);
        if (!repository.isEmpty()) {
            b.append(" repository=").append(repository);
        }
        if (!reference.isEmpty()) {
            b.append(" reference=").append(reference);
        }
        b.append(" status=").append(status == 0 ? "aborted" : Integer.toString(status)).append(" bytes=").append(bytes)
                .append(String.format(Locale.ROOT, " seconds=%.3f", nanos / 1e9));
        sources.ifPresent(r -> {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<SourceKind, Long> e : new TreeMap<>(r.bytesBySource()).entrySet()) {
                if (e.getValue() > 0) {
                    s.append(s.length() == 0 ? "" : ",").append(e.getKey().label())
                            .append(':').append(e.getValue());
                }
            }
            b.append(" sources=").append(s.length() == 0 ? "none" : s);
        });
        return b.append(" client=").append(client).toString();
    }
}
