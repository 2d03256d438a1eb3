package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.Candidate;
import dev.chunkmesh.store.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What the POP offers one pull, as its {@link PullMachine} sees it: the holders' claims and load, the peers
 * left out (penalised by the node, or excluded for this pull), and what follows from them, recomputed
 * only when one of them changes: who may be asked, which chunks anyone claims, and how many usable holders
 * claim each (for rarest first). A usable holder is not asked while it rests after a busy answer or a first
 * failed request, or while its load fills its upload slots, but its claims still count: what only it holds
 * waits for it, and never goes to the origin. Not thread-safe, like the machine.
 */
final class HolderView {
    private final NodeId self;
    private final Recipe recipe;
    private final int n;
    private final int uploadSlots;
    private final Set<NodeId> excluded = new HashSet<>();
    /** Peers that failed a request once, with when their rest after it ends. */
    private final Map<NodeId, Instant> failedOnce = new HashMap<>();
    /** Peers that answered busy, with when they may be asked again. */
    private final Map<NodeId, Instant> resting = new HashMap<>();
    /** No peer rests past this before it: no earlier than the soonest end of a rest. */
    private Instant restsEndFrom = Instant.MAX;
    /** Peers whose answers since this time were all busy. */
    private final Map<NodeId, Instant> busySince = new HashMap<>();
    private Map<NodeInfo, ChunkBitmap> holders = Map.of();
    private Map<NodeId, Integer> load = Map.of();
    private Set<NodeId> penalised = Set.of();
    private final List<Map.Entry<NodeInfo, ChunkBitmap>> usable = new ArrayList<>();
    private BitSet claimed = new BitSet();
    private int[] holderCount = new int[0];
    /** By index in {@link #usable}, the holder's load in the POP's view. */
    private int[] usableLoad = new int[0];
    private boolean dirty = true;

    HolderView(NodeId self, Recipe recipe, int uploadSlots) {
        this.self = self;
        this.uploadSlots = uploadSlots;
        this.recipe = recipe;
        this.n = recipe.chunks().size();
    }

    /** The POP's view changed. */
    void update(PullEvent.Holders view) {
        holders = view.holders();
        load = view.load();
        penalised = view.penalised();
        dirty = true;
    }

    /** Leaves {@code peer} out for the rest of this pull. */
    void exclude(NodeId peer) {
        dirty |= excluded.add(peer);
    }

    /**
     * A request to {@code peer} failed at {@code now} (an error, not a wrong chunk or a missing one). The first
     * time, it rests for {@code coolOff} as a busy peer does (not asked, its claims still count, so what only it
     * holds waits for it rather than going to the origin), then is asked again: one reset connection does not send
     * the rest of a blob to the origin. Its other requests failing during that rest (the same outage) change
     * nothing; a failure after the rest leaves it out for the rest of this pull.
     */
    void failed(NodeId peer, Instant now, Duration coolOff) {
        Instant restEnds = failedOnce.get(peer);
        if (restEnds == null) {
            failedOnce.put(peer, now.plus(coolOff));
            restUntil(peer, now.plus(coolOff));
        } else if (!now.isBefore(restEnds)) {
            exclude(peer);
        }
    }

    private void restUntil(NodeId peer, Instant until) {
        resting.merge(peer, until, (a, b) -> a.isAfter(b) ? a : b);
        if (until.isBefore(restsEndFrom)) {
            restsEndFrom = until;
        }
    }

    /**
     * {@code peer} answered busy at {@code now}: it is not asked for {@code backoff}, but its claims still count;
     * if it has answered nothing but busy for {@code patience}, it is left out for the rest of this pull (as a
     * peer that does not answer is), so a node that is always busy cannot hold a chunk back from the origin.
     */
    void rest(NodeId peer, Instant now, Duration backoff, Duration patience) {
        Instant since = busySince.computeIfAbsent(peer, p -> now);
        if (now.isBefore(since.plus(patience))) {
            restUntil(peer, now.plus(backoff));
        } else {
            exclude(peer);
        }
    }

    /** {@code peer} served a request: its run of busy answers is over. */
    void served(NodeId peer) {
        if (!busySince.isEmpty()) {
            busySince.remove(peer);
        }
    }

    /** Upload slots {@code peer} has free by the POP's view of its load (none if it has no slot left). */
    int freeSlots(NodeId peer) {
        return Math.max(0, uploadSlots - load.getOrDefault(peer, 0));
    }

    /** Peers not to ask: excluded for this pull or penalised by the node. */
    Set<NodeId> skip() {
        if (excluded.isEmpty()) {
            return penalised;
        }
        Set<NodeId> skip = new HashSet<>(excluded);
        skip.addAll(penalised);
        return skip;
    }

    /**
     * The usable holders that may be asked at {@code now} (not resting, upload slots not all taken), by name,
     * each loaded with its own transfers plus the chunks this pull has asked of it.
     */
    List<Candidate> candidates(Map<NodeId, Integer> askedChunks, Instant now) {
        refresh();
        if (!resting.isEmpty() && !now.isBefore(restsEndFrom)) {
            resting.values().removeIf(until -> !now.isBefore(until));
            restsEndFrom = resting.values().stream().min(Comparator.naturalOrder()).orElse(Instant.MAX);
        }
        List<Candidate> out = new ArrayList<>(usable.size());
        for (int k = 0; k < usable.size(); k++) {
            Map.Entry<NodeInfo, ChunkBitmap> e = usable.get(k);
            int serving = usableLoad[k];
            if (serving < uploadSlots && (resting.isEmpty() || !resting.containsKey(e.getKey().id()))) {
                int asked = askedChunks.isEmpty() ? 0 : askedChunks.getOrDefault(e.getKey().id(), 0);
                out.add(new Candidate(e.getKey(), e.getValue(), serving + asked));
            }
        }
        return out;
    }

    /** Chunks some live holder of the POP claims, usable or not. */
    BitSet claimed() {
        refresh();
        return claimed;
    }

    /** Bytes of {@code chunks} that some live holder of the POP claims, usable or not. */
    long claimedBytes(List<Integer> chunks) {
        refresh();
        long bytes = 0;
        for (int i : chunks) {
            if (claimed.get(i)) {
                bytes += recipe.chunks().get(i).length();
            }
        }
        return bytes;
    }

    /** How many usable holders claim chunk {@code i}. */
    int holderCount(int i) {
        refresh();
        return holderCount[i];
    }

    /**
     * Whether no request could start now: no idle chunk (clear in {@code busy}) that a peer in {@code open}
     * claims, and none that nobody usable claims while {@code originRoom} and it is not {@code waiting} on
     * a lease. Spares running the planner on every answer when every window is full.
     */
    boolean nothingToStart(BitSet busy, List<Candidate> open, boolean originRoom, IntPredicate waiting) {
        refresh();
        for (int i = busy.nextClearBit(0); i < n; i = busy.nextClearBit(i + 1)) {
            if (holderCount[i] == 0) {
                if (originRoom && !waiting.test(i)) {
                    return false;
                }
                continue;
            }
            for (Candidate c : open) {
                if (c.held().has(i)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Marks busy the idle chunks no request could carry now: claimed ones that no holder in {@code askable}
     * claims (their holders rest or are full), claimed ones beyond {@code peerLimit} in rarest-first order,
     * and unclaimed ones that are {@code waiting} on a lease or beyond {@code leaseBudget} bytes. The planner
     * then works on what can start, not on the whole blob, and sends no chunk a usable holder claims to the origin.
     */
    void narrow(BitSet busy, List<Candidate> askable, long peerLimit, long leaseBudget, IntPredicate waiting) {
        refresh();
        BitSet reachable = null;
        if (askable.size() < usable.size()) {
            reachable = new BitSet(n);
            for (Candidate c : askable) {
                c.held().addTo(reachable);
            }
        }
        long budget = leaseBudget;
        int claimedIdle = 0;
        for (int i = busy.nextClearBit(0); i < n; i = busy.nextClearBit(i + 1)) {
            if (holderCount[i] == 0) {
                if (budget <= 0 || waiting.test(i)) {
                    busy.set(i);
                } else {
                    budget -= recipe.chunks().get(i).length();
                }
            } else if (reachable != null && !reachable.get(i)) {
                busy.set(i);
            } else {
                claimedIdle++;
            }
        }
        if (claimedIdle <= peerLimit) {
            return;
        }
        long[] order = new long[claimedIdle];
        int k = 0;
        for (int i = busy.nextClearBit(0); i < n; i = busy.nextClearBit(i + 1)) {
            if (holderCount[i] > 0) {
                order[k++] = ((long) holderCount[i] << 32) | i;
            }
        }
        Arrays.sort(order);
        for (int j = (int) peerLimit; j < order.length; j++) {
            busy.set((int) order[j]);
        }
    }

    private void refresh() {
        if (!dirty) {
            return;
        }
        Set<NodeId> skip = skip();
        usable.clear();
        claimed = new BitSet();
        holderCount = new int[n];
        for (Map.Entry<NodeInfo, ChunkBitmap> e : holders.entrySet()) {
            ChunkBitmap held = e.getValue();
            if (held.length() != n || e.getKey().id().equals(self)) {
                continue;
            }
            boolean use = skip.isEmpty() || !skip.contains(e.getKey().id());
            held.addTo(claimed);
            if (use) {
                for (int i = held.nextHeld(0); i >= 0; i = held.nextHeld(i + 1)) {
                    holderCount[i]++;
                }
                usable.add(e);
            }
        }
        usable.sort(Comparator.comparing(e -> e.getKey().id()));
        if (usableLoad.length < usable.size()) {
            usableLoad = new int[usable.size() * 2];
        }
        for (int k = 0; k < usable.size(); k++) {
            usableLoad[k] = load.isEmpty() ? 0 : load.getOrDefault(usable.get(k).getKey().id(), 0);
        }
        dirty = false;
    }
}
