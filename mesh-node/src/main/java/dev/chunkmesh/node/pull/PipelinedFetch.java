package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.gossip.pull.PullCommand;
import dev.chunkmesh.gossip.pull.PullEvent;
import dev.chunkmesh.gossip.pull.PullEvent.Answered;
import dev.chunkmesh.gossip.pull.PullEvent.Outcome;
import dev.chunkmesh.gossip.pull.PullMachine;
import dev.chunkmesh.gossip.pull.PullRules;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.peer.PeerBusyException;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Carries out a {@link PullMachine}'s commands for the chunks of a blob with a known recipe that this node
 * lacks. Nothing here decides anything: the machine says what to fetch from where; this class fetches,
 * stores and answers. Peer batches are Vert.x requests whose frames go to the store as they came
 * (checked there); origin ranges and Hazelcast calls run on workers; holders' changes arrive by an
 * {@link Availability#watch}; the machine is told of each answer as it lands, one event at a time.
 * Adverts, lease requests and releases go out in the order the machine gave them, so a chunk is always
 * advertised before its lease is given back. A chunk already held counts as stored only once its stored
 * record passed its check: one found corrupt is dropped by the store and fetched like any missing chunk,
 * so a pull never hands out, hashes or streams a held chunk that cannot be read.
 */
final class PipelinedFetch {
    private final PullDeps deps;
    private final Origin origin;
    private final String repository;
    private final Recipe recipe;
    private final BlobProgress progress;
    private final SourceTally tally;
    private final PinSet pins;
    private final Optional<InOrderHash> hash;
    private final PullMachine machine;
    private final Executor gossip;
    private final ArrayDeque<PullEvent> events = new ArrayDeque<>();
    private final AtomicBoolean holdersQueued = new AtomicBoolean();
    private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
    private boolean draining;

    /** @param hash the whole-blob hash to feed as chunks are stored; empty when the recipe is this node's own */
    PipelinedFetch(PullDeps deps, Origin origin, String repository, Recipe recipe, BlobProgress progress, SourceTally tally,
                   PinSet pins, Optional<InOrderHash> hash, Clock clock) {
        this.deps = deps;
        this.origin = origin;
        this.repository = repository;
        this.recipe = recipe;
        this.progress = progress;
        this.tally = tally;
        this.pins = pins;
        this.hash = hash;
        this.gossip = new SerialExecutor(deps.gossip());
        List<ChunkRef> chunks = recipe.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            if (!progress.isStored(i) && deps.store().verify(chunks.get(i).digest())) {
                pins.pin(chunks.get(i).digest());
                progress.markStored(i);
                tally.add(SourceKind.LOCAL, chunks.get(i).length());
            }
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (progress.isStored(i)) {
                int index = i;
                hash.ifPresent(h -> h.stored(index));
            }
        }
        PullSettings s = deps.settings();
        PullRules rules = new PullRules(s.peerBatch(), s.peerWindow(), s.originWindow(), s.peerWindow() * 4, s.maxOriginRangeBytes(), s.requestTimeout(),
                s.stallTimeout(), s.leaseRetry(), s.pollInterval(), PullRules.defaults().originAttempts())
                .withUploadSlots(s.uploadSlots(), PullRules.DEFAULT_BUSY_BACKOFF);
        this.machine = new PullMachine(deps.self(), recipe, progress.bitmap(), rules, clock);
    }

    /**
     * Runs the fetch to its end; the future gives the number of peers caught sending bad bytes, or fails
     * with why the pull gave up. Ticks come from {@code ticker}.
     */
    CompletableFuture<Integer> run(ScheduledExecutorService ticker) {
        Availability.Watch watch = deps.pop().availability().watch(recipe.blob(), this::holdersChanged);
        ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> deliver(new PullEvent.Tick()), 50, 50, TimeUnit.MILLISECONDS);
        outcome.whenComplete((v, e) -> {
            ticks.cancel(false);
            watch.close();
        });
        List<PullCommand> first;
        try {
            PullEvent.Holders view = holders();
            synchronized (this) {
                draining = true;
                first = machine.start(view);
            }
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
            return outcome;
        }
        execute(first);
        drain();
        return outcome;
    }

    /** The live nodes of the view that claim some of the blob, and the peers penalised now. Blocks (Hazelcast). */
    private PullEvent.Holders holders() {
        Map<NodeId, Health> alive = deps.pop().alive();
        Map<NodeInfo, ChunkBitmap> live = new HashMap<>();
        Map<NodeId, Integer> load = new HashMap<>();
        deps.pop().availability().holders(recipe.blob()).forEach((node, held) -> {
            Health h = alive.get(node.id());
            if (h != null) {
                live.put(h.node(), held);
                load.put(node.id(), h.activeTransfers());
            }
        });
        return new PullEvent.Holders(live, load, deps.penalties().current());
    }

    /** Called on Hazelcast's event thread: the POP's claims are read again on a worker, once per burst. */
    private void holdersChanged() {
        if (holdersQueued.compareAndSet(false, true)) {
            gossip.execute(() -> {
                holdersQueued.set(false);
                if (!outcome.isDone()) {
                    deliver(holders());
                }
            });
        }
    }

    private void deliver(PullEvent e) {
        synchronized (this) {
            events.add(e);
            if (draining) {
                return;
            }
            draining = true;
        }
        drain();
    }

    /** Hands queued events to the machine one at a time and carries out what it says, on the caller's thread. */
    private void drain() {
        while (true) {
            List<PullCommand> commands;
            synchronized (this) {
                PullEvent next = events.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                commands = machine.on(next);
            }
            execute(commands);
        }
    }

    private void execute(List<PullCommand> commands) {
        for (PullCommand c : commands) {
            try {
                if (c instanceof PullCommand.FetchFromPeer f) {
                    fromPeer(f);
                } else if (c instanceof PullCommand.FetchFromOrigin o) {
                    deps.fetchers().execute(() -> fromOrigin(o));
                } else if (c instanceof PullCommand.AcquireLeases l) {
                    gossip.execute(() -> acquire(l));
                } else if (c instanceof PullCommand.ReleaseLeases r) {
                    List<String> keys = List.copyOf(keys(r.chunks()).keySet());
                    gossip.execute(() -> deps.pop().leases().releaseAll(keys, deps.self().id()));
                } else if (c instanceof PullCommand.Advertise a) {
                    gossip.execute(() -> deps.pop().availability().advertise(deps.self(), recipe.blob(), a.held()));
                } else if (c instanceof PullCommand.Penalise p) {
                    deps.penalties().penalise(p.peer());
                } else if (c instanceof PullCommand.Finish f) {
                    gossip.execute(() -> outcome.complete(f.badPeers()));
                } else if (c instanceof PullCommand.GiveUp g) {
                    Throwable cause = g.cause().filter(t -> t instanceof RuntimeException || t instanceof IOException)
                            .orElseGet(() -> new IOException(g.reason(), g.cause().orElse(null)));
                    gossip.execute(() -> outcome.completeExceptionally(cause));
                }
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }
    }

    /** Lease keys of chunks, with the indexes each covers (a blob may hold one chunk twice). */
    private Map<String, List<Integer>> keys(List<Integer> indexes) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i : indexes) {
            byKey.computeIfAbsent("chunk:" + recipe.chunks().get(i).digest(), k -> new ArrayList<>()).add(i);
        }
        return byKey;
    }

    private void acquire(PullCommand.AcquireLeases l) {
        Map<String, List<Integer>> byKey = keys(l.chunks());
        Set<Integer> granted = new HashSet<>();
        Map<Integer, NodeId> others = new HashMap<>();
        try {
            deps.pop().leases().acquireAll(byKey.keySet(), deps.self().id()).forEach((key, result) -> {
                for (int i : byKey.get(key)) {
                    if (result instanceof LeaseResult.HeldBy h) {
                        others.put(i, h.holder());
                    } else {
                        granted.add(i);
                    }
                }
            });
        } catch (RuntimeException e) {
            l.chunks().forEach(i -> others.put(i, deps.self().id()));
        }
        if (!others.isEmpty()) {
            deps.events().singleFlightWait("chunk", others.size());
        }
        deliver(new PullEvent.LeasesAnswered(l.request(), granted, others));
    }

    /**
     * A batch from a peer, kept as the frames it sent: each is checked by the store where it is kept. A
     * peer whose frame is not the chunk asked for is reported corrupt; one that lacks some, as lacking.
     */
    private void fromPeer(PullCommand.FetchFromPeer f) {
        Map<Digest, List<Integer>> wanted = new LinkedHashMap<>();
        for (int i : f.chunks()) {
            wanted.computeIfAbsent(recipe.chunks().get(i).digest(), k -> new ArrayList<>()).add(i);
        }
        deps.peers().of(f.peer()).fetchFrames(List.copyOf(wanted.keySet())).onComplete(r -> {
            if (r.failed()) {
                Outcome why = r.cause() instanceof ChunkCorruptException ? Outcome.CORRUPT
                        : r.cause() instanceof PeerBusyException ? Outcome.BUSY : Outcome.UNAVAILABLE;
                deliver(Answered.failed(f.request(), why, r.cause()));
                return;
            }
            Map<Digest, byte[]> got = r.result();
            CompletableFuture.supplyAsync(() -> storeFrames(f, wanted, got), deps.writers())
                    .thenCompose(puts -> puts)
                    .whenComplete((answer, e) -> deliver(e == null ? answer
                            : Answered.failed(f.request(), Outcome.UNAVAILABLE, e instanceof CompletionException ce ? ce.getCause() : e)));
        });
    }

    private CompletableFuture<Answered> storeFrames(PullCommand.FetchFromPeer f, Map<Digest, List<Integer>> wanted, Map<Digest, byte[]> got) {
        List<CompletableFuture<ByteBuffer>> puts = new ArrayList<>();
        List<Digest> order = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Digest, List<Integer>> w : wanted.entrySet()) {
            byte[] frame = got.get(w.getKey());
            if (frame == null) {
                continue;
            }
            bytes += frame.length;
            order.add(w.getKey());
            puts.add(deps.store().putFrameKeepingRawAsync(w.getKey(), frame, pins).handle((raw, e) -> {
                if (e == null) {
                    return raw;
                }
                if ((e instanceof CompletionException ce ? ce.getCause() : e) instanceof ChunkCorruptException) {
                    return null;
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }));
        }
        long sentBytes = bytes;
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<Integer> stored = new HashSet<>();
            boolean corrupt = false;
            for (int k = 0; k < order.size(); k++) {
                ByteBuffer raw = puts.get(k).join();
                if (raw != null) {
                    for (int i : wanted.get(order.get(k))) {
                        stored(i, f.kind(), raw);
                        stored.add(i);
                    }
                } else {
                    corrupt = true;
                }
            }
            deps.events().fromPeer(f.peer().id(), sentBytes);
            Outcome outcome = corrupt ? Outcome.CORRUPT : order.size() < wanted.size() ? Outcome.LACKED : Outcome.OK;
            Optional<Throwable> cause = outcome == Outcome.OK ? Optional.empty()
                    : Optional.of(new IOException("peer " + f.peer().id() + (corrupt ? " sent a wrong chunk" : " lacked chunks it claimed")));
            return new Answered(f.request(), stored, outcome, cause);
        });
    }

    /** One Range request to the origin; its chunks are checked against the recipe by the store. Blocks: runs on a fetcher. */
    private void fromOrigin(PullCommand.FetchFromOrigin o) {
        try {
            List<ChunkRef> refs = o.chunks().stream().map(recipe.chunks()::get).toList();
            List<byte[]> raws = origin.chunks(repository, recipe.blob(), refs);
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int k = 0; k < refs.size(); k++) {
                puts.add(deps.store().putAsync(refs.get(k).digest(), raws.get(k), pins));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                if (e != null) {
                    deliver(Answered.failed(o.request(), Outcome.UNAVAILABLE, e instanceof CompletionException ce ? ce.getCause() : e));
                    return;
                }
                for (int k = 0; k < refs.size(); k++) {
                    stored(o.chunks().get(k), origin.source(), ByteBuffer.wrap(raws.get(k)));
                }
                if (o.heldInPopBytes() > 0) {
                    deps.events().refetchedFromOrigin(o.heldInPopBytes());
                }
                deliver(Answered.ok(o.request(), Set.copyOf(o.chunks())));
            });
        } catch (Exception e) {
            deliver(Answered.failed(o.request(), Outcome.UNAVAILABLE, e));
        }
    }

    private void stored(int index, SourceKind kind, ByteBuffer raw) {
        synchronized (tally) {
            if (progress.isStored(index)) {
                return;
            }
            progress.markStored(index);
        }
        tally.add(kind, recipe.chunks().get(index).length());
        hash.ifPresent(h -> h.stored(index, raw));
    }
}
