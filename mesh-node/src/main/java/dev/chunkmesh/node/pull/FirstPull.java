package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.plan.Planner;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.local.PartialRecipes;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.peer.PeerBusyException;
import dev.chunkmesh.node.peer.PeerChunkClient;
import dev.chunkmesh.node.peer.PeerUnavailableException;
import dev.chunkmesh.node.peer.RecipePrefix;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkMissingException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.StreamChunker;
import dev.chunkmesh.store.ingest.BlobDigestMismatchException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gets the recipe of a blob nobody in the POP has chunked yet, reading its bytes from the origin at
 * most once for the POP. The node that takes the blob's first-pull lease streams it from the origin,
 * chunking, storing and serving the growing recipe as it goes; every other node follows it, taking
 * each chunk from the leader as it lands, up to {@code pull.peer-window} batches ahead. If the leader dies, its lease lapses and a follower takes
 * over from where it had got, by a Range request from the end of the last chunk it holds (FastCDC
 * restarts identically at a chunk boundary). Every node hashes the whole blob in order and refuses a
 * recipe whose bytes do not hash to the blob's digest. Each chunk is recorded on disk as it is stored
 * ({@link PartialRecipes}): a node that leads after a crash or a failed pull adopts the chunks it
 * recorded and still holds intact, and asks the origin only for the bytes after them.
 */
final class FirstPull {
    /** Chunk puts of one stream in flight at once: enough for the store to commit them in large groups. */
    private static final int WINDOW = 64;

    private final PullDeps deps;
    private final Origin origin;
    private final String repository;
    private final Digest blob;
    private final BlobProgress progress;
    private final SourceTally tally;
    private final PinSet pins;
    private final List<ChunkRef> known = new ArrayList<>();
    private final MessageDigest hash;
    private boolean led;
    private boolean waited;
    private PartialRecipes.Journal journal;

    FirstPull(PullDeps deps, Origin origin, String repository, Digest blob, BlobProgress progress, SourceTally tally, PinSet pins) {
        this.deps = deps;
        this.origin = origin;
        this.repository = repository;
        this.blob = blob;
        this.progress = progress;
        this.tally = tally;
        this.pins = pins;
        try {
            this.hash = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String leaseKey(Digest blob) {
        return "first:" + blob;
    }

    /** Whether this node streamed any of the blob from the origin. */
    boolean led() {
        return led;
    }

    /** The blob's recipe: found in the POP, followed from the leader, or made here as the leader. */
    Recipe run() throws Exception {
        try {
            return find();
        } finally {
            if (journal != null) {
                journal.close();
            }
        }
    }

    private Recipe find() throws Exception {
        long quietSince = System.nanoTime();
        while (true) {
            Optional<Recipe> found = deps.pop().recipes().find(blob);
            if (found.isPresent()) {
                return found.get();
            }
            LeaseResult lease = deps.pop().leases().acquire(leaseKey(blob), deps.self().id());
            if (lease instanceof LeaseResult.Acquired) {
                found = deps.pop().recipes().find(blob);
                if (found.isEmpty()) {
                    found = fromHolder();
                    found.ifPresent(r -> deps.pop().recipes().publish(r));
                }
                if (found.isPresent()) {
                    deps.pop().leases().release(leaseKey(blob), deps.self().id());
                    return found.get();
                }
                return lead();
            }
            Health leader = deps.pop().alive().get(((LeaseResult.HeldBy) lease).holder());
            int before = known.size();
            if (!waited) {
                deps.events().singleFlightWait("first-pull", 1);
                waited = true;
            }
            if (leader != null) {
                try {
                    Optional<Recipe> followed = follow(deps.peers().of(leader.node()), Planner.kindOf(deps.self(), leader.node()));
                    if (followed.isPresent()) {
                        return followed.get();
                    }
                } catch (PeerUnavailableException | PeerBusyException | ChunkMissingException | InterruptedIOException gone) {
                    // the leader is gone, busy past patience or not serving yet: its lease will lapse, or it will publish the recipe
                }
            }
            if (known.size() > before) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > deps.settings().stallTimeout().toNanos()) {
                throw new IOException("first pull of " + blob + " made no progress for " + deps.settings().stallTimeout().toSeconds()
                        + " s (waiting on " + ((LeaseResult.HeldBy) lease).holder() + ")");
            }
            Waits.sleep(deps.settings().pollInterval());
        }
    }

    /**
     * The recipe from a live node that claims the blob, when the POP's shared copy is gone (lost
     * with a split, say): cheaper than chunking the blob from the origin again. Still advice: the
     * pull checks the whole blob's digest at the end.
     */
    private Optional<Recipe> fromHolder() {
        var alive = deps.pop().alive();
        for (var holder : deps.pop().availability().holders(blob).keySet()) {
            if (holder.id().equals(deps.self().id()) || !alive.containsKey(holder.id())) {
                continue;
            }
            try {
                RecipePrefix whole = Waits.await(deps.peers().of(holder).recipe(blob, 0), deps.settings().stallTimeout());
                if (whole.complete()) {
                    return Optional.of(new Recipe(blob, whole.size(), whole.chunks()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (Exception unusable) {
                // gone, not serving it, or a recipe that does not hold together: try the next holder
            }
        }
        return Optional.empty();
    }

    /** Takes chunks from the leader as its recipe grows; empty if the leader stopped serving it before the end. */
    private Optional<Recipe> follow(PeerChunkClient leader, SourceKind kind) throws Exception {
        Duration timeout = deps.settings().stallTimeout();
        while (true) {
            RecipePrefix prefix = Waits.await(leader.recipe(blob, known.size()), timeout);
            PartialRecipes.Journal recorded = journal();
            List<ChunkRef> fresh = prefix.chunks();
            OrderedPuts puts = new OrderedPuts(deps.writers(), WINDOW, (c, raw) -> {
                record(c, raw);
                tally.add(kind, c.length());
            });
            List<List<ChunkRef>> batches = new ArrayList<>();
            for (int from = 0; from < fresh.size(); from += deps.settings().peerBatch()) {
                batches.add(fresh.subList(from, Math.min(fresh.size(), from + deps.settings().peerBatch())));
            }
            ArrayDeque<Future<Map<Digest, byte[]>>> ahead = new ArrayDeque<>();
            for (int b = 0; b < batches.size(); b++) {
                while (ahead.size() < deps.settings().peerWindow() && b + ahead.size() < batches.size()) {
                    ahead.add(leader.fetchAll(digests(batches.get(b + ahead.size()))));
                }
                List<ChunkRef> batch = batches.get(b);
                Map<Digest, byte[]> got = Waits.awaitServed(ahead.poll(), () -> leader.fetchAll(digests(batch)), timeout);
                for (ChunkRef c : batch) {
                    byte[] raw = got.get(c.digest());
                    if (raw == null) {
                        throw new ChunkMissingException(c.digest());
                    }
                    if (raw.length != c.length()) {
                        throw new PeerUnavailableException(leader.name(), 200, "recipe says chunk " + c.digest() + " has " + c.length()
                                + " bytes, it has " + raw.length, null);
                    }
                    puts.submit(c.offset(), raw, () -> deps.store().putAsync(c.digest(), raw, pins).thenApply(v -> {
                        recorded.append(c);
                        return c.digest();
                    }));
                }
                deps.events().fromPeer(new NodeId(leader.name()), batch.stream().mapToLong(ChunkRef::length).sum());
            }
            puts.finish();
            if (prefix.complete() && known.size() > 0 && known.get(known.size() - 1).end() == prefix.size()) {
                return Optional.of(finish(prefix.size()));
            }
            if (prefix.complete() && prefix.size() == 0) {
                return Optional.of(finish(0));
            }
            if (fresh.isEmpty()) {
                Waits.sleep(deps.settings().pollInterval());
            }
        }
    }

    private static List<Digest> digests(List<ChunkRef> batch) {
        return batch.stream().map(ChunkRef::digest).distinct().toList();
    }

    /** Streams the rest of the blob from the origin, chunking it, and publishes the recipe. */
    private Recipe lead() throws Exception {
        led = true;
        if (adoptRecorded()) {
            deps.pop().leases().release(leaseKey(blob), deps.self().id());
            Recipe recipe = finish(known.get(known.size() - 1).end());
            deps.pop().recipes().publish(recipe);
            return recipe;
        }
        long offset = known.isEmpty() ? 0 : known.get(known.size() - 1).end();
        PartialRecipes.Journal recorded = journal();
        long renewEvery = deps.settings().leaseTime().toNanos() / 3;
        long[] lastRenew = {System.nanoTime()};
        OrderedPuts puts = new OrderedPuts(deps.writers(), WINDOW, (c, raw) -> {
            record(c, raw);
            tally.add(origin.source(), c.length());
        });
        try (InputStream in = origin.blobFrom(repository, blob, offset)) {
            new StreamChunker(deps.chunker()).chunk(in, (off, buf, start, length) -> {
                byte[] raw = Arrays.copyOfRange(buf, start, start + length);
                try {
                    puts.submit(offset + off, raw, () -> deps.store().putAsync(raw, pins).thenApply(d -> {
                        recorded.append(new ChunkRef(offset + off, raw.length, d));
                        return d;
                    }));
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("store chunk at " + (offset + off) + ": " + e.getMessage(), e);
                }
                if (System.nanoTime() - lastRenew[0] > renewEvery) {
                    deps.pop().leases().acquire(leaseKey(blob), deps.self().id());
                    lastRenew[0] = System.nanoTime();
                }
            });
            puts.finish();
            long size = known.isEmpty() ? 0 : known.get(known.size() - 1).end();
            Recipe recipe = finish(size);
            deps.pop().recipes().publish(recipe);
            return recipe;
        } finally {
            deps.pop().leases().release(leaseKey(blob), deps.self().id());
        }
    }

    /** Adds a stored chunk to the recipe so far and to the whole-blob hash. */
    private void record(ChunkRef c, byte[] raw) {
        hash.update(raw);
        known.add(c);
        progress.appendStored(c);
    }

    /**
     * The on-disk record a restart resumes from, begun with the chunks known now; each chunk stored from
     * here on is appended as soon as its put completes (it is durable then), whatever the order.
     */
    private PartialRecipes.Journal journal() {
        if (journal == null) {
            journal = deps.partialRecipes().open(blob, List.copyOf(known));
        }
        return journal;
    }

    /**
     * Takes on, after the chunks known now, those an earlier pull of the blob on this node recorded, in
     * order, while each is held and reads back right (its bytes also feed the whole-blob hash). Returns
     * whether they make the whole blob: they hash to its digest.
     */
    private boolean adoptRecorded() {
        List<ChunkRef> recorded = deps.partialRecipes().read(blob);
        if (recorded.size() <= known.size() || !recorded.subList(0, known.size()).equals(known)) {
            return false;
        }
        for (ChunkRef c : recorded.subList(known.size(), recorded.size())) {
            pins.pin(c.digest());
            ByteBuffer raw;
            try {
                raw = deps.store().getBuffer(c.digest());
            } catch (ChunkMissingException | ChunkCorruptException gone) {
                break;
            }
            if (raw.remaining() != c.length()) {
                break;
            }
            hash.update(raw);
            known.add(c);
            progress.appendStored(c);
            tally.add(SourceKind.LOCAL, c.length());
        }
        try {
            return !known.isEmpty() && Digest.ofBytes(((MessageDigest) hash.clone()).digest()).equals(blob);
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    private Recipe finish(long size) {
        Digest actual = Digest.ofBytes(hash.digest());
        if (!actual.equals(blob)) {
            deps.partialRecipes().delete(blob); // its prefix does not make the blob: the next pull starts afresh
            throw new BlobDigestMismatchException(blob, actual);
        }
        Recipe recipe = new Recipe(blob, size, known);
        deps.localRecipes().publish(recipe);
        deps.partialRecipes().delete(blob);
        return recipe;
    }
}
