package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.local.PartialRecipes;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.peer.RecipeBoard;
import dev.chunkmesh.node.peer.RecipePrefix;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.ingest.BlobDigestMismatchException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's blob pulls. At most one pull per blob runs on a node at a time: a second request for the
 * same blob joins the running one. A pull finds the recipe (the node's own, its POP's, or one its upper
 * tier holds) or makes it ({@link FirstPull}), fetches what
 * is missing as the shared {@link dev.chunkmesh.gossip.pull.PullMachine} directs ({@link PipelinedFetch}),
 * checks the whole blob's digest (hashed once, in order, as the chunks land) unless the recipe is this
 * node's own, and tells the POP it holds the blob. {@link #pull} never blocks.
 */
public final class PullService implements RecipeBoard, AutoCloseable {

    /** A pull under way: its progress, for streaming the blob out, and its outcome. */
    public record Pull(BlobProgress progress, CompletableFuture<PullReport> result) {}

    private final PullDeps deps;
    private final PullEvents events;
    private final ExecutorService pullThreads;
    private final ScheduledExecutorService ticker;
    private final Clock clock;
    private final Map<Digest, Pull> running = new ConcurrentHashMap<>();

    /** {@code events} hears how pulls go, for metrics; {@code partialRecipes} lets a first pull resume after a restart. */
    public PullService(NodeInfo self, ChunkStore store, Recipes localRecipes, PartialRecipes partialRecipes, PopView pop, PeerClients peers,
                       PullSettings settings, ChunkerParams chunker, Clock clock, PullEvents events) {
        ExecutorService fetchers = Executors.newFixedThreadPool(settings.parallelFetches(), named("mesh-fetch-" + self.id().name()));
        this.deps = new PullDeps(self, store, localRecipes, partialRecipes, pop, peers, settings, new Penalties(clock, settings.penaltyTime()),
                fetchers, Executors.newFixedThreadPool(4, named("mesh-write-" + self.id().name())),
                Executors.newCachedThreadPool(named("mesh-gossip-" + self.id().name())), chunker, events);
        this.events = events;
        this.clock = clock;
        this.pullThreads = Executors.newCachedThreadPool(named("mesh-pull-" + self.id().name()));
        this.ticker = Executors.newSingleThreadScheduledExecutor(named("mesh-pull-tick-" + self.id().name()));
    }

    /**
     * The blob's pull: the one running, or a new one that asks {@code origin} for {@code repository}'s
     * blob when no peer holds a chunk.
     */
    public Pull pull(Origin origin, String repository, Digest blob) {
        return running.computeIfAbsent(blob, b -> {
            Pull p = new Pull(new BlobProgress(b), new CompletableFuture<>());
            pullThreads.execute(() -> run(origin, repository, p));
            return p;
        });
    }

    /** A blob served wholly from this node's store, without a pull: reported as a local hit to metrics. */
    public PullReport localHit(Digest blob, long size, Duration time) {
        PullReport r = new PullReport(blob, size, Map.of(SourceKind.LOCAL, size), time, false, 0);
        deps.events().finished(r);
        return r;
    }

    /** Pulls under way now. */
    public List<BlobProgress> running() {
        return running.values().stream().map(Pull::progress).toList();
    }

    public Penalties penalties() {
        return deps.penalties();
    }

    @Override
    public Optional<RecipePrefix> prefix(Digest blob, int from) {
        Pull p = running.get(blob);
        if (p != null) {
            return Optional.of(p.progress().storedPrefixFrom(from));
        }
        return deps.localRecipes().find(blob).map(r -> new RecipePrefix(from < r.chunks().size()
                ? r.chunks().subList(from, r.chunks().size()) : List.of(), true, r.size()));
    }

    private void run(Origin origin, String repository, Pull pull) {
        Digest blob = pull.progress().blob();
        long start = System.nanoTime();
        SourceTally tally = new SourceTally();
        try (PinSet pins = deps.store().openPinSet()) {
            boolean first = false;
            boolean hashed = false;
            boolean fromAbove = false;
            Optional<Recipe> known = deps.localRecipes().find(blob);
            Recipe recipe;
            if (known.isPresent()) {
                recipe = known.get();
            } else {
                Optional<Recipe> shared = deps.pop().recipes().find(blob);
                Optional<Recipe> above = shared.isPresent() ? Optional.empty() : origin.recipe(repository, blob);
                if (shared.isPresent()) {
                    recipe = shared.get();
                } else if (above.isPresent()) {
                    recipe = above.get();
                    fromAbove = true;
                } else {
                    FirstPull fp = new FirstPull(deps, origin, repository, blob, pull.progress(), tally, pins);
                    recipe = fp.run();
                    first = fp.led();
                    hashed = pull.progress().storedCount() == recipe.chunks().size();
                }
            }
            pull.progress().setRecipe(recipe);
            Optional<InOrderHash> hash = hashed || known.isPresent() ? Optional.empty()
                    : Optional.of(new InOrderHash(recipe, deps.store(), deps.writers()));
            int badPeers = new PipelinedFetch(deps, origin, repository, recipe, pull.progress(), tally, pins, hash, clock)
                    .run(ticker).get();
            if (hash.isPresent()) {
                Digest actual = hash.get().result().get();
                if (!actual.equals(blob)) {
                    deps.pop().availability().withdraw(deps.self().id(), blob);
                    deps.pop().recipes().forget(blob); // a recipe that does not make its blob: the next pull chunks it afresh
                    throw new BlobDigestMismatchException(blob, actual);
                }
            }
            deps.localRecipes().publish(recipe);
            deps.partialRecipes().delete(blob);
            if (known.isPresent() || fromAbove) {
                deps.pop().recipes().publish(recipe);
            }
            PullReport report = new PullReport(blob, recipe.size(), tally.snapshot(), Duration.ofNanos(System.nanoTime() - start), first,
                    badPeers);
            events.finished(report);
            running.remove(blob);
            pull.result().complete(report);
        } catch (Throwable thrown) {
            Throwable e = thrown instanceof ExecutionException x && x.getCause() != null ? x.getCause() : thrown;
            events.failed(e);
            running.remove(blob);
            pull.progress().fail(e);
            pull.result().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        pullThreads.shutdownNow();
        ticker.shutdownNow();
        deps.gossip().shutdownNow();
        deps.fetchers().shutdownNow();
        deps.writers().shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
