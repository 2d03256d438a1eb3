package dev.chunkmesh.node.admin;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.metrics.NodeMetrics;
import dev.chunkmesh.node.local.DirectoryRecipes;
import dev.chunkmesh.node.pull.PopView;
import dev.chunkmesh.node.pull.PullService;
import dev.chunkmesh.node.registry.ImageNames;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.StoreStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The node's view of its POP as JSON, for {@code /v1/status} and {@code mesh status}. */
public final class StatusJson {
    private final NodeStanding standing;
    private final PopView pop;
    private final DirectoryRecipes localRecipes;
    private final ChunkStore store;
    private final PullService pulls;
    private final NodeMetrics metrics;
    private final ImageNames names;
    private final Clock clock;

    /** Reads, at each {@link #render}, exactly these parts of a node; {@code names} labels blobs with their images. */
    public StatusJson(NodeStanding standing, PopView pop, DirectoryRecipes localRecipes, ChunkStore store, PullService pulls,
                      NodeMetrics metrics, ImageNames names, Clock clock) {
        this.standing = Objects.requireNonNull(standing, "standing");
        this.pop = Objects.requireNonNull(pop, "pop");
        this.localRecipes = Objects.requireNonNull(localRecipes, "localRecipes");
        this.store = Objects.requireNonNull(store, "store");
        this.pulls = Objects.requireNonNull(pulls, "pulls");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.names = Objects.requireNonNull(names, "names");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The status as of now: members, holdings, store, pulls. Blocks on Hazelcast and disk: run it on a worker. */
    JsonObject render() {
        Instant now = clock.instant();
        JsonArray members = new JsonArray();
        for (Health h : pop.membership().alive()) {
            members.add(node(h.node()).put("heartbeat_age_ms", Math.max(0, Duration.between(h.heartbeat(), now).toMillis()))
                    .put("free_bytes", h.freeBytes()).put("active_transfers", h.activeTransfers()));
        }
        JsonArray holdings = new JsonArray();
        for (Digest blob : localRecipes.blobs()) {
            Optional<Recipe> r = localRecipes.find(blob);
            if (r.isEmpty()) {
                continue;
            }
            JsonArray holders = new JsonArray();
            for (Map.Entry<NodeInfo, ChunkBitmap> e : pop.availability().holders(blob).entrySet()) {
                holders.add(new JsonObject().put("node", e.getKey().id().name()).put("chunks", e.getValue().count()));
            }
            long held = r.get().chunks().stream().filter(c -> store.has(c.digest())).count();
            holdings.add(new JsonObject().put("blob", blob.toString()).put("image", names.of(blob).orElse(""))
                    .put("size", r.get().size())
                    .put("chunks", r.get().chunks().size()).put("held_here", held).put("holders", holders));
        }
        StoreStats s = store.stats();
        JsonObject store = new JsonObject().put("chunks", s.chunks()).put("used_bytes", s.usedBytes())
                .put("capacity_bytes", s.capacityBytes()).put("evictions", s.evictions()).put("corrupt_found", s.corruptFound());
        JsonArray penalised = new JsonArray();
        pulls.penalties().counts().forEach((id, n) -> penalised.add(new JsonObject().put("node", id.name()).put("times", n)));
        JsonArray recent = new JsonArray();
        for (NodeMetrics.RecentPull p : metrics.recentPulls()) {
            recent.add(new JsonObject().put("at", p.at().toString()).put("blob", p.report().blob().toString())
                    .put("image", names.of(p.report().blob()).orElse("")).put("size", p.report().size())
                    .put("seconds", p.report().time().toNanos() / 1e9).put("first_to_chunk", p.report().firstToChunk())
                    .put("bytes", bytes(p.report().bytesBySource())));
        }
        JsonObject pulled = new JsonObject();
        for (SourceKind k : SourceKind.values()) {
            pulled.put(NodeMetrics.sourceName(k), metrics.pulledBytes(k));
        }
        return new JsonObject().put("node", node(standing.self()).put("joined", standing.joined())).put("members", members)
                .put("cluster_members", standing.clusterMembers())
                .put("holdings", holdings).put("store", store).put("pulls_running", pulls.running().size())
                .put("penalised_peers", penalised).put("pulled_bytes", pulled).put("recent_pulls", recent);
    }

    /** Bytes by source name (local, peer, parent, other-pop, origin). */
    static JsonObject bytes(Map<SourceKind, Long> bySource) {
        JsonObject o = new JsonObject();
        for (SourceKind k : SourceKind.values()) {
            o.put(NodeMetrics.sourceName(k), bySource.getOrDefault(k, 0L));
        }
        return o;
    }

    private static JsonObject node(NodeInfo n) {
        JsonObject o = new JsonObject().put("name", n.id().name()).put("pop", n.pop().name())
                .put("tier", n.tier().name().toLowerCase(Locale.ROOT)).put("peer", n.peerAddress());
        n.parentPop().ifPresent(p -> o.put("parent_pop", p.name()));
        return o;
    }
}
