package dev.chunkmesh.node;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.peer.ServeStats;
import dev.chunkmesh.node.pull.PullReport;
import dev.chunkmesh.store.ChunkStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The node's Prometheus metrics: pull bytes by source, pull times, store use, bytes served to peers. */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<SourceKind, Counter> bytesBySource = new EnumMap<>(SourceKind.class);
    private final Timer pullTime;
    private final Counter firstPulls;

    public NodeMetrics(ChunkStore store, ServeStats served) {
        for (SourceKind k : SourceKind.values()) {
            bytesBySource.put(k, Counter.builder("mesh_pull_bytes").baseUnit("bytes").tag("source", sourceName(k))
                    .description("bytes of pulled blobs by where they came from").register(registry));
        }
        pullTime = Timer.builder("mesh_blob_pull").description("time to pull one blob into the store").register(registry);
        firstPulls = Counter.builder("mesh_first_pulls").description("blobs this node was first in its POP to chunk from the origin")
                .register(registry);
        Gauge.builder("mesh_store_used_bytes", store, s -> s.stats().usedBytes()).register(registry);
        Gauge.builder("mesh_store_capacity_bytes", store, s -> s.stats().capacityBytes()).register(registry);
        FunctionCounter.builder("mesh_peer_served_bytes", served, ServeStats::bytesServed).baseUnit("bytes")
                .description("chunk bytes served to peers").register(registry);
    }

    /** The name a source goes by in metrics and reports: local, peer, parent, other-pop, origin. */
    public static String sourceName(SourceKind k) {
        return switch (k) {
            case SAME_POP -> "peer";
            case OTHER_POP -> "other-pop";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    void record(PullReport r) {
        r.bytesBySource().forEach((k, n) -> bytesBySource.get(k).increment(n));
        pullTime.record(r.time());
        if (r.firstToChunk()) {
            firstPulls.increment();
        }
    }

    /** Bytes pulled from {@code source} since the node started. */
    public long pulledBytes(SourceKind source) {
        return (long) bytesBySource.get(source).count();
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
