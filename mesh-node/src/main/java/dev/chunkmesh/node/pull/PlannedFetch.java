package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.Assignment;
import dev.chunkmesh.gossip.plan.Candidate;
import dev.chunkmesh.gossip.plan.Plan;
import dev.chunkmesh.gossip.plan.PlanLimits;
import dev.chunkmesh.gossip.plan.Planner;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches the chunks of a blob with a known recipe that this node lacks, in rounds: each round asks
 * the POP who holds what, lets the {@link Planner} assign every missing chunk to a source, and runs
 * the assignments in parallel. A peer that fails is left out for the rest of the pull; one that sends
 * wrong bytes is also penalised for every pull. Origin chunks are fetched only under their
 * single-flight lease; chunks another node is fetching are taken from it in a later round, once it
 * advertises them. Every chunk is verified before it is stored.
 */
final class PlannedFetch {
    private final PullDeps deps;
    private final Origin origin;
    private final String repository;
    private final Recipe recipe;
    private final BlobProgress progress;
    private final SourceTally tally;
    private final PinSet pins;
    private final Advertiser advertiser;
    private final Set<NodeId> excluded = ConcurrentHashMap.newKeySet();
    private final AtomicInteger badPeers = new AtomicInteger();

    PlannedFetch(PullDeps deps, Origin origin, String repository, Recipe recipe, BlobProgress progress, SourceTally tally, PinSet pins) {
        this.deps = deps;
        this.origin = origin;
        this.repository = repository;
        this.recipe = recipe;
        this.progress = progress;
        this.tally = tally;
        this.pins = pins;
        this.advertiser = new Advertiser(deps.pop().availability(), deps.self(), recipe.blob(), progress::bitmap, 200_000_000L);
    }

    int badPeers() {
        return badPeers.get();
    }

    void run() throws Exception {
        List<ChunkRef> chunks = recipe.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            ChunkRef c = chunks.get(i);
            if (!progress.isStored(i) && deps.store().has(c.digest())) {
                pins.pin(c.digest());
                progress.markStored(i);
                tally.add(SourceKind.LOCAL, c.length());
            }
        }
        advertiser.now();
        int lastCount = progress.storedCount();
        long lastProgress = System.nanoTime();
        while (!progress.done()) {
            runRound();
            int count = progress.storedCount();
            if (count > lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
                advertiser.soon();
            } else {
                if (System.nanoTime() - lastProgress > deps.settings().stallTimeout().toNanos()) {
                    throw new IOException("pull of " + recipe.blob() + " stalled: " + (chunks.size() - count) + " chunks found nowhere for "
                            + deps.settings().stallTimeout().toSeconds() + " s");
                }
                Waits.sleep(deps.settings().pollInterval());
            }
        }
        advertiser.now();
    }

    private void runRound() throws Exception {
        Map<NodeId, Health> alive = deps.pop().alive();
        Set<NodeId> skip = new HashSet<>(excluded);
        skip.addAll(deps.penalties().current());
        List<Candidate> candidates = new ArrayList<>();
        java.util.BitSet heldInPop = new java.util.BitSet(recipe.chunks().size());
        deps.pop().availability().holders(recipe.blob()).forEach((node, held) -> {
            Health h = alive.get(node.id());
            if (h == null || held.length() != recipe.chunks().size() || node.id().equals(deps.self().id())) {
                return;
            }
            for (int i = 0; i < held.length(); i++) {
                if (held.has(i)) {
                    heldInPop.set(i);
                }
            }
            if (!skip.contains(node.id())) {
                candidates.add(new Candidate(h.node(), held, h.activeTransfers()));
            }
        });
        ChunkBitmap local = progress.bitmap();
        Plan plan = Planner.plan(deps.self(), recipe, local, candidates, new PlanLimits(deps.settings().maxOriginRangeBytes(), skip));
        List<Future<?>> tasks = new ArrayList<>();
        for (Assignment a : plan.assignments()) {
            if (a instanceof Assignment.FromPeer p) {
                int batch = deps.settings().peerBatch();
                for (int from = 0; from < p.chunks().size(); from += batch) {
                    List<Integer> part = p.chunks().subList(from, Math.min(p.chunks().size(), from + batch));
                    tasks.add(deps.fetchers().submit(() -> fromPeer(p.node(), p.kind(), part)));
                }
            } else if (a instanceof Assignment.FromOrigin o) {
                tasks.add(deps.fetchers().submit(() -> {
                    fromOrigin(o.chunks(), heldInPop);
                    return null;
                }));
            }
        }
        Exception failure = null;
        for (Future<?> t : tasks) {
            try {
                t.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof Exception c ? c : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Takes a batch from a peer as the frames it sent and has the store check and keep each as it came,
     * all in flight at once so the store commits them together. A peer whose frame is not the chunk
     * asked for is penalised; one that lacks some is left out of this pull.
     */
    private void fromPeer(NodeInfo peer, SourceKind kind, List<Integer> indexes) {
        List<Digest> digests = indexes.stream().map(i -> recipe.chunks().get(i).digest()).distinct().toList();
        Map<Digest, byte[]> got;
        try {
            got = Waits.await(deps.peers().of(peer).fetchFrames(digests), deps.settings().stallTimeout());
        } catch (ChunkCorruptException bad) {
            penalise(peer);
            return;
        } catch (Exception unavailable) {
            excluded.add(peer.id());
            return;
        }
        boolean lacked = false;
        List<Integer> stored = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> puts = new ArrayList<>();
        java.util.Set<Digest> sent = new HashSet<>();
        for (int i : indexes) {
            ChunkRef c = recipe.chunks().get(i);
            byte[] frame = got.get(c.digest());
            if (frame == null) {
                lacked = true;
            } else if (!progress.isStored(i)) {
                if (sent.add(c.digest())) {
                    puts.add(deps.store().putFrameAsync(c.digest(), frame, pins));
                }
                stored.add(i);
            }
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(puts.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ChunkCorruptException) {
                penalise(peer);
                return;
            }
            throw e;
        }
        for (int i : stored) {
            if (!progress.isStored(i)) {
                progress.markStored(i);
                tally.add(kind, recipe.chunks().get(i).length());
            }
        }
        deps.events().fromPeer(peer.id(), got.values().stream().mapToLong(b -> b.length).sum());
        if (lacked) {
            excluded.add(peer.id());
        }
        advertiser.soon();
    }

    private void penalise(NodeInfo peer) {
        deps.penalties().penalise(peer.id());
        badPeers.incrementAndGet();
        excluded.add(peer.id());
    }

    /** @param heldInPop chunks a live node of the POP advertised when this fetch was planned */
    private void fromOrigin(List<Integer> indexes, java.util.BitSet heldInPop) throws IOException {
        Map<String, Integer> byKey = new java.util.LinkedHashMap<>();
        for (int i : indexes) {
            if (!progress.isStored(i)) {
                byKey.putIfAbsent("chunk:" + recipe.chunks().get(i).digest(), i);
            }
        }
        Map<String, LeaseResult> leases = deps.pop().leases().acquireAll(byKey.keySet(), deps.self().id());
        List<String> mine = new ArrayList<>();
        List<Integer> ours = new ArrayList<>();
        leases.forEach((key, result) -> {
            if (result instanceof LeaseResult.Acquired) {
                mine.add(key);
            }
        });
        for (int i : indexes) {
            if (!progress.isStored(i) && leases.get("chunk:" + recipe.chunks().get(i).digest()) instanceof LeaseResult.Acquired) {
                ours.add(i);
            }
        }
        if (mine.size() < leases.size()) {
            deps.events().singleFlightWait("chunk", leases.size() - mine.size());
        }
        try {
            for (List<Integer> run : runs(ours)) {
                List<ChunkRef> refs = run.stream().map(recipe.chunks()::get).toList();
                List<byte[]> raws = origin.chunks(repository, recipe.blob(), refs);
                List<java.util.concurrent.CompletableFuture<Void>> puts = new ArrayList<>();
                for (int k = 0; k < run.size(); k++) {
                    puts.add(deps.store().putAsync(refs.get(k).digest(), raws.get(k), pins));
                }
                for (java.util.concurrent.CompletableFuture<Void> p : puts) {
                    try {
                        p.join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : e;
                    }
                }
                for (int k = 0; k < run.size(); k++) {
                    ChunkRef c = refs.get(k);
                    progress.markStored(run.get(k));
                    tally.add(SourceKind.ORIGIN, c.length());
                    if (heldInPop.get(run.get(k))) {
                        deps.events().refetchedFromOrigin(c.length());
                    }
                }
            }
            if (!ours.isEmpty()) {
                advertiser.now();
            }
        } finally {
            deps.pop().leases().releaseAll(mine, deps.self().id());
        }
    }

    /** Splits ascending chunk indexes into runs of consecutive ones. */
    static List<List<Integer>> runs(List<Integer> indexes) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        for (int i : indexes) {
            if (!run.isEmpty() && run.get(run.size() - 1) != i - 1) {
                out.add(run);
                run = new ArrayList<>();
            }
            run.add(i);
        }
        if (!run.isEmpty()) {
            out.add(run);
        }
        return out;
    }
}
