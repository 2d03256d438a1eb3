package dev.chunkmesh.node.metrics;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.origin.Upstreams;
import dev.chunkmesh.node.peer.ServeStats;
import dev.chunkmesh.node.pull.PullEvents;
import dev.chunkmesh.node.pull.PullReport;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.node.registry.RegistryServer;
import dev.chunkmesh.store.ChunkStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The node's Prometheus metrics (names and units as Prometheus expects; {@code promtool check metrics}
 * is clean on a scrape), and the recent pulls the dashboard shows. Thread-safe.
 *
 * <pre>
 *   mesh_pull_bytes_total{source}             bytes of pulled blobs by source: local, peer, parent, other-pop, origin
 *   mesh_blob_pulls_total{result}             blob pulls: hit (all local), partial, miss, failed
 *   mesh_blob_pull_seconds                    histogram of blob pull times
 *   mesh_first_pulls_total                    blobs this node was first in its POP to chunk from the origin
 *   mesh_single_flight_waits_total{kind}      first pulls followed, chunks left to another node's fetch
 *   mesh_peer_fetched_bytes_total{peer}       chunk bytes taken from each peer
 *   mesh_peer_served_bytes_total              chunk bytes served to peers
 *   mesh_peer_busy_answers_total              chunk requests answered busy (503): all upload slots were taken
 *   mesh_registry_served_bytes_total          blob bytes served to local clients
 *   mesh_registry_request_seconds{kind,status} histogram of mirror requests (manifest, blob)
 *   mesh_pulls_in_flight, mesh_peer_transfers_in_flight
 *   mesh_store_used_bytes, mesh_store_capacity_bytes, mesh_store_chunks
 *   mesh_store_evictions_total, mesh_store_corrupt_chunks_total
 *   mesh_gossip_members                       live members of the POP this node sees
 *   mesh_gossip_heartbeat_age_seconds         time since this node's last heartbeat reached the POP
 *   mesh_gossip_outside_members               configured members that answer but are not in this node's cluster
 *   mesh_gossip_rejected_total{kind}          gossip entries refused: heartbeat (forged, or an object that may not be read),
 *                                             lease (forged, stale or held outside the POP), holders (unreadable claims)
 *   mesh_origin_up                            1 if the origin answered the last check, else 0
 *   mesh_origin_errors_total, mesh_origin_retries_total
 *   mesh_origin_refetched_bytes_total         origin bytes the POP already held (a holder left out after failing)
 *   process_resident_memory_bytes             the node process's resident set
 *   jvm_memory_*, jvm_threads_*                 Micrometer's JVM memory and thread meters
 * </pre>
 */
public final class NodeMetrics implements PullEvents {

    /** A finished pull, for the dashboard's recent list. */
    public record RecentPull(Instant at, PullReport report) {}

    private static final int RECENT = 20;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<SourceKind, Counter> bytesBySource = new EnumMap<>(SourceKind.class);
    private final Timer pullTime;
    private final Counter firstPulls;
    private final Counter refetched;
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicLong lastHeartbeatNanos = new AtomicLong(System.nanoTime());
    private final ArrayDeque<RecentPull> recent = new ArrayDeque<>();

    /** Every metric carries the node's {@code pop} and {@code node} labels, so fleet-wide sums need no relabelling. */
    public NodeMetrics(String node, String pop, ChunkStore store, ServeStats served) {
        registry.config().commonTags("pop", pop, "node", node);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Gauge.builder("process_resident_memory_bytes", NodeMetrics::residentBytes).baseUnit("bytes")
                .description("Resident set of the node's process (Linux /proc; NaN elsewhere)").register(registry);
        for (SourceKind k : SourceKind.values()) {
            bytesBySource.put(k, Counter.builder("mesh_pull_bytes").baseUnit("bytes").tag("source", sourceName(k))
                    .description("Bytes of pulled blobs by where they came from").register(registry));
        }
        pullTime = Timer.builder("mesh_blob_pull").description("Time to pull one blob into the store").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        refetched = Counter.builder("mesh_origin_refetched_bytes").baseUnit("bytes")
                .description("Chunk bytes taken from the origin although a live node of the POP advertised them (left out after failing)")
                .register(registry);
        firstPulls = Counter.builder("mesh_first_pulls").description("Blobs this node was first in its POP to chunk from the origin")
                .register(registry);
        Gauge.builder("mesh_store_used_bytes", store, s -> s.stats().usedBytes()).description("Bytes of chunks in the store").register(registry);
        Gauge.builder("mesh_store_capacity_bytes", store, s -> s.stats().capacityBytes()).description("Store capacity: the configured one, or what the device held when it ran out of space")
                .register(registry);
        Gauge.builder("mesh_store_chunks", store, s -> s.stats().chunks()).description("Chunks in the store").register(registry);
        FunctionCounter.builder("mesh_store_evictions", store, s -> s.stats().evictions()).description("Chunks evicted to make room")
                .register(registry);
        FunctionCounter.builder("mesh_store_corrupt_chunks", store, s -> s.stats().corruptFound())
                .description("Stored chunks found corrupt on read and moved aside").register(registry);
        FunctionCounter.builder("mesh_peer_served_bytes", served, ServeStats::bytesServed).baseUnit("bytes")
                .description("Chunk bytes served to peers").register(registry);
        FunctionCounter.builder("mesh_peer_busy_answers", served, ServeStats::busyAnswers)
                .description("Chunk requests answered busy (503) because all upload slots were taken").register(registry);
        Gauge.builder("mesh_peer_transfers_in_flight", served, ServeStats::activeTransfers).description("Peer requests being served")
                .register(registry);
        Gauge.builder("mesh_gossip_members", members, AtomicInteger::get).description("Live members of the POP this node sees")
                .register(registry);
        Gauge.builder("mesh_gossip_heartbeat_age_seconds", lastHeartbeatNanos, t -> (System.nanoTime() - t.get()) / 1e9)
                .description("Seconds since this node's last heartbeat reached the POP").register(registry);
    }

    /**
     * Binds the gauges of the node's watchdog: configured POP members outside this node's cluster, and
     * whether the default origin answered its last check.
     */
    public void bindWatchdog(IntSupplier outsideMembers, BooleanSupplier originReachable) {
        Gauge.builder("mesh_gossip_outside_members", outsideMembers::getAsInt)
                .description("Configured POP members that answer on their Hazelcast port but are not in this node's cluster"
                        + " (a different cluster secret or name)").register(registry);
        Gauge.builder("mesh_origin_up", () -> originReachable.getAsBoolean() ? 1 : 0)
                .description("1 if the default origin answered the node's last check of /v2/, else 0").register(registry);
    }

    /**
     * Binds the counts of gossip this node refused to believe: heartbeats and leaves whose seal did not check
     * (or that were objects the deserialization filter refuses), lease entries ignored, and holdings entries
     * or claims that could not be read.
     */
    public void bindGossipRejections(LongSupplier heartbeats, LongSupplier leases, LongSupplier holders) {
        Map<String, LongSupplier> kinds = Map.of("heartbeat", heartbeats, "lease", leases, "holders", holders);
        kinds.forEach((kind, count) -> FunctionCounter.builder("mesh_gossip_rejected", count, LongSupplier::getAsLong).tag("kind", kind)
                .description("Gossip entries this node refused: forged or unreadable heartbeats, ignored leases, unreadable holdings")
                .register(registry));
    }

    /** Binds the gauges of parts made after the metrics. */
    public void bind(PullService pulls, RegistryServer mirror, Upstreams upstreams) {
        Gauge.builder("mesh_pulls_in_flight", pulls, p -> p.running().size()).description("Blob pulls under way").register(registry);
        FunctionCounter.builder("mesh_registry_served_bytes", mirror, RegistryServer::bytesServed).baseUnit("bytes")
                .description("Blob bytes served to local clients by the mirror").register(registry);
        FunctionCounter.builder("mesh_origin_errors", upstreams, Upstreams::errors).description("Origin requests that failed after retries")
                .register(registry);
        FunctionCounter.builder("mesh_origin_retries", upstreams, Upstreams::retries).description("Origin requests retried")
                .register(registry);
    }

    /** The process's resident set in bytes, from /proc/self/status; NaN where there is none. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The name a source goes by in metrics and reports: local, peer, parent, other-pop, origin. */
    public static String sourceName(SourceKind k) {
        return k.label();
    }

    @Override
    public void finished(PullReport r) {
        r.bytesBySource().forEach((k, n) -> bytesBySource.get(k).increment(n));
        pullTime.record(r.time());
        if (r.firstToChunk()) {
            firstPulls.increment();
        }
        long local = r.bytesBySource().getOrDefault(SourceKind.LOCAL, 0L);
        pullResult(local == r.size() ? "hit" : local > 0 ? "partial" : "miss");
        synchronized (recent) {
            recent.addFirst(new RecentPull(Instant.now(), r));
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    @Override
    public void failed(Throwable cause) {
        pullResult("failed");
    }

    private void pullResult(String result) {
        Counter.builder("mesh_blob_pulls").tag("result", result).description("Blob pulls by outcome: hit (all local), partial, miss, failed")
                .register(registry).increment();
    }

    @Override
    public void refetchedFromOrigin(long bytes) {
        refetched.increment(bytes);
    }

    /** Origin bytes the POP already held, since the node started ({@code mesh_origin_refetched_bytes_total}). */
    public long refetchedFromOriginBytes() {
        return (long) refetched.count();
    }

    @Override
    public void singleFlightWait(String kind, int chunks) {
        Counter.builder("mesh_single_flight_waits").tag("kind", kind)
                .description("Waits on another node's single-flight fetch: first pulls followed, chunks leased elsewhere")
                .register(registry).increment(chunks);
    }

    @Override
    public void fromPeer(NodeId peer, long bytes) {
        Counter.builder("mesh_peer_fetched_bytes").baseUnit("bytes").tag("peer", peer.name()).description("Chunk bytes taken from each peer")
                .register(registry).increment(bytes);
    }

    /** A mirror request ended. */
    public void registryRequest(String kind, int status, long nanos) {
        Timer.builder("mesh_registry_request").tag("kind", kind).tag("status", Integer.toString(status))
                .description("Registry mirror requests, from arrival to the last byte sent").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** The node's heartbeat reached the POP, which has {@code live} members. */
    public void heartbeat(int live) {
        members.set(live);
        lastHeartbeatNanos.set(System.nanoTime());
    }

    /** Bytes pulled from {@code source} since the node started. */
    public long pulledBytes(SourceKind source) {
        return (long) bytesBySource.get(source).count();
    }

    /** The last pulls, newest first. */
    public List<RecentPull> recentPulls() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
