package dev.chunkmesh.gossip.pull;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.plan.Assignment;
import dev.chunkmesh.gossip.plan.Candidate;
import dev.chunkmesh.gossip.plan.Plan;
import dev.chunkmesh.gossip.plan.PlanLimits;
import dev.chunkmesh.gossip.plan.Planner;
import dev.chunkmesh.gossip.pull.PullCommand.AcquireLeases;
import dev.chunkmesh.gossip.pull.PullCommand.Advertise;
import dev.chunkmesh.gossip.pull.PullCommand.FetchFromOrigin;
import dev.chunkmesh.gossip.pull.PullCommand.FetchFromPeer;
import dev.chunkmesh.gossip.pull.PullCommand.Finish;
import dev.chunkmesh.gossip.pull.PullCommand.GiveUp;
import dev.chunkmesh.gossip.pull.PullCommand.Penalise;
import dev.chunkmesh.gossip.pull.PullCommand.ReleaseLeases;
import dev.chunkmesh.gossip.pull.PullEvent.Answered;
import dev.chunkmesh.gossip.pull.PullEvent.Holders;
import dev.chunkmesh.gossip.pull.PullEvent.LeasesAnswered;
import dev.chunkmesh.gossip.pull.PullEvent.Outcome;
import dev.chunkmesh.gossip.pull.PullEvent.Tick;
import dev.chunkmesh.store.Recipe;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The rules of one blob's pull on one node, as a deterministic state machine: it is told what happened
 * ({@link PullEvent}) and answers with what to do ({@link PullCommand}). No I/O, no threads, time only from
 * its {@link Clock}, so the node and the simulator run the very same rules.
 *
 * <p>The rules: a chunk comes from the nearest, least loaded live holder the {@link Planner} picks, rarest
 * first, in batches of {@link PullRules#peerBatch()}, with up to {@link PullRules#peerWindow()} requests in
 * flight per peer, refilled as each answer lands (no rounds). A chunk no usable holder claims comes from the
 * origin, only under its single-flight lease; one whose lease another node holds waits for that node to
 * advertise it, asking again every {@link PullRules#leaseRetry()}. A holder whose load fills its {@link PullRules#uploadSlots()} is not asked, and one that
 * answers busy rests for {@link PullRules#busyBackoff()}; their chunks go at once to a holder with a free
 * slot, or wait for one, never to the origin, unless the peer has answered nothing but busy for
 * {@link PullRules#requestTimeout()}: then it is left out of the pull, as one that does not answer. A peer whose request fails rests
 * the same way for {@link PullRules#FAILURE_COOL_OFF}, and is left out if it fails again after that or lacks what it claimed; one that sends wrong bytes or does not answer within
 * {@link PullRules#requestTimeout()} is also penalised, so other pulls do not wait on it. Stored chunks are
 * advertised within {@link PullRules#advertiseInterval()}, and origin chunks before their leases are given
 * back. The pull gives up when nothing is stored for {@link PullRules#stallTimeout()} or the origin fails
 * {@link PullRules#originAttempts()} times in a row. Not thread-safe: a driver delivers one event at a time.
 */
public final class PullMachine {
    private enum Kind { PEER, ORIGIN, LEASES }

    private record Request(int id, Kind kind, NodeInfo peer, List<Integer> chunks, Instant sent) {}

    private final NodeInfo self;
    private final Recipe recipe;
    private final PullRules rules;
    private final Clock clock;
    private final int n;
    private final BitSet stored = new BitSet();
    private final BitSet inFlight = new BitSet();
    private final LeaseBook leases;
    private final Map<Integer, Request> requests = new LinkedHashMap<>();
    private final HolderView view;
    private int nextId = 1;
    private int badPeers;
    /** Peers that let a request time out in this pull, penalised once each. */
    private final Set<NodeId> silent = new HashSet<>();
    private int originFailures;
    private Instant lastProgress;
    private Instant lastAdvertised = Instant.MIN;
    private boolean advertisePending;
    private boolean over;

    /** A pull of {@code recipe} by {@code self}, which already holds {@code local}. */
    public PullMachine(NodeInfo self, Recipe recipe, ChunkBitmap local, PullRules rules, Clock clock) {
        this.self = self;
        this.recipe = recipe;
        this.rules = rules;
        this.clock = clock;
        this.n = recipe.chunks().size();
        this.view = new HolderView(self.id(), recipe, rules.uploadSlots());
        this.leases = new LeaseBook(recipe, rules);
        if (local.length() != n) {
            throw new IllegalArgumentException("local bitmap has " + local.length() + " chunks, the recipe " + n);
        }
        for (int i = 0; i < n; i++) {
            if (local.has(i)) {
                stored.set(i);
            }
        }
        this.lastProgress = clock.instant();
    }

    /** The first commands: advertise what is held, and fetch what is missing from whoever {@code holders} names. */
    public List<PullCommand> start(Holders holders) {
        List<PullCommand> out = new ArrayList<>();
        advertisePending = !stored.isEmpty();
        flushAdvert(out, true);
        view.update(holders);
        plan(out);
        return out;
    }

    /** The commands that follow {@code event}; none once the pull finished or gave up. */
    public List<PullCommand> on(PullEvent event) {
        List<PullCommand> out = new ArrayList<>();
        if (over) {
            return out;
        }
        if (event instanceof Holders h) {
            view.update(h);
        } else if (event instanceof Answered a) {
            answered(a, out);
        } else if (event instanceof LeasesAnswered l) {
            leasesAnswered(l);
        } else if (event instanceof Tick) {
            tick(out);
        }
        if (!over) {
            flushAdvert(out, false);
            plan(out);
        }
        return out;
    }

    /** Chunks verified and stored so far. */
    public ChunkBitmap held() {
        return ChunkBitmap.of(n, stored);
    }

    /** Whether the machine finished or gave up. */
    public boolean over() {
        return over;
    }

    private void answered(Answered a, List<PullCommand> out) {
        Request r = requests.remove(a.request());
        int before = stored.cardinality();
        for (int i : a.stored()) {
            if (i >= 0 && i < n) {
                stored.set(i);
                leases.stored(i);
            }
        }
        if (stored.cardinality() > before) {
            lastProgress = clock.instant();
            advertisePending = true;
        }
        if (r == null) {
            return; // an answer that came after its request timed out: its chunks still count
        }
        r.chunks().forEach(inFlight::clear);
        if (r.kind() == Kind.ORIGIN) {
            flushAdvert(out, true);
            leases.released(r.chunks());
            out.add(new ReleaseLeases(r.chunks()));
            if (a.outcome() == Outcome.OK) {
                originFailures = 0;
            } else if (++originFailures >= rules.originAttempts()) {
                giveUp(out, "the origin failed " + originFailures + " times in a row for " + recipe.blob() + ": "
                        + a.cause().map(Throwable::getMessage).orElse("no reason given"), a.cause());
            }
            return;
        }
        switch (a.outcome()) {
            case OK -> view.served(r.peer().id());
            case BUSY -> view.rest(r.peer().id(), clock.instant(), rules.busyBackoff(), rules.requestTimeout());
            case UNAVAILABLE -> view.failed(r.peer().id(), clock.instant(), PullRules.FAILURE_COOL_OFF);
            case LACKED -> view.exclude(r.peer().id());
            case CORRUPT -> {
                view.exclude(r.peer().id());
                badPeers++;
                out.add(new Penalise(r.peer().id()));
            }
        }
    }

    private void leasesAnswered(LeasesAnswered l) {
        Request r = requests.remove(l.request());
        if (r == null) {
            return;
        }
        leases.answered(r.chunks(), l, clock.instant().plus(rules.leaseRetry()));
    }

    private void tick(List<PullCommand> out) {
        Instant now = clock.instant();
        for (Request r : List.copyOf(requests.values())) {
            Instant deadline = r.sent().plus(r.kind() == Kind.PEER ? rules.requestTimeout() : rules.stallTimeout());
            if (now.isAfter(deadline)) {
                String what = r.kind() == Kind.PEER ? "peer " + r.peer().id() : r.kind() == Kind.ORIGIN ? "the origin" : "the lease store";
                Throwable late = new InterruptedIOException(what + " did not answer within "
                        + Duration.between(r.sent(), now).toSeconds() + " s");
                if (r.kind() == Kind.LEASES) {
                    requests.remove(r.id());
                    leases.unanswered(r.chunks());
                } else {
                    answered(Answered.failed(r.id(), Outcome.UNAVAILABLE, late), out);
                    if (r.kind() == Kind.PEER) {
                        view.exclude(r.peer().id());
                        if (silent.add(r.peer().id())) {
                            out.add(new Penalise(r.peer().id()));
                        }
                    }
                }
                if (over) {
                    return;
                }
            }
        }
        flushAdvert(out, false);
        if (stored.cardinality() < n && now.isAfter(lastProgress.plus(rules.stallTimeout()))) {
            giveUp(out, "pull of " + recipe.blob() + " stalled: " + (n - stored.cardinality()) + " chunks found nowhere for "
                    + rules.stallTimeout().toSeconds() + " s", Optional.empty());
        }
    }

    private void plan(List<PullCommand> out) {
        if (stored.cardinality() == n) {
            flushAdvert(out, true);
            over = true;
            out.add(new Finish(badPeers));
            return;
        }
        Map<NodeId, Integer> peerRequests = new HashMap<>();
        Map<NodeId, Integer> peerChunks = new HashMap<>();
        int originRequests = 0;
        int peerTotal = 0;
        for (Request r : requests.values()) {
            if (r.kind() == Kind.PEER) {
                peerTotal++;
                peerRequests.merge(r.peer().id(), 1, Integer::sum);
                peerChunks.merge(r.peer().id(), r.chunks().size(), Integer::sum);
            } else {
                originRequests++;
            }
        }
        Instant now = clock.instant();
        List<Candidate> candidates = view.candidates(peerChunks, now);
        BitSet busy = (BitSet) stored.clone();
        busy.or(inFlight);
        leases.markBusy(busy);
        IntPredicate waiting = i -> leases.waiting(i, now);
        List<Candidate> open = new ArrayList<>();
        long freeSlots = 0;
        for (Candidate c : candidates) {
            int free = room(c.node().id(), peerRequests);
            if (free > 0) {
                open.add(c);
                freeSlots += free;
            }
        }
        int requestRoom = rules.maxRequests() - peerTotal;
        int originRoom = leases.room(originRequests, inFlight, stored);
        long leaseBudget = leases.budget(originRoom);
        if (view.nothingToStart(busy, requestRoom > 0 ? open : List.of(), leaseBudget > 0, waiting)) {
            fetchLeased(out, originRequests, now);
            return;
        }
        view.narrow(busy, candidates, Math.min(freeSlots, Math.max(0, requestRoom)) * rules.peerBatch() * 2, leaseBudget, waiting);
        Plan plan = Planner.plan(self, recipe, ChunkBitmap.of(n, busy), candidates, new PlanLimits(rules.maxOriginRangeBytes(), view.skip()));
        List<Integer> toLease = new ArrayList<>();
        for (Assignment a : plan.assignments()) {
            if (a instanceof Assignment.FromPeer p) {
                int free = Math.min(room(p.node().id(), peerRequests), rules.maxRequests() - peerTotal);
                List<Integer> order = new ArrayList<>(p.chunks());
                order.sort(Comparator.comparingInt((Integer i) -> view.holderCount(i)).thenComparingInt(i -> i));
                for (int k = 0; k < free && k * rules.peerBatch() < order.size(); k++) {
                    List<Integer> batch = new ArrayList<>(order.subList(k * rules.peerBatch(), Math.min(order.size(), (k + 1) * rules.peerBatch())));
                    batch.sort(null);
                    int id = send(Kind.PEER, p.node(), batch, now);
                    out.add(new FetchFromPeer(id, p.node(), p.kind(), batch));
                    peerTotal++;
                }
            } else {
                for (int i : a.chunks()) {
                    if (!leases.waiting(i, now)) {
                        toLease.add(i);
                    }
                }
            }
        }
        if (!toLease.isEmpty() && originRequests < rules.originWindow()) {
            toLease = leases.leasable(toLease, leaseBudget, originRoom);
        }
        if (!toLease.isEmpty() && originRequests < rules.originWindow()) {
            int id = send(Kind.LEASES, null, toLease, now);
            out.add(new AcquireLeases(id, toLease));
            originRequests++;
        }
        fetchLeased(out, originRequests, now);
    }

    /** Requests that may go to {@code peer} now: what its window leaves, and no more than its free upload slots. */
    private int room(NodeId peer, Map<NodeId, Integer> peerRequests) {
        return Math.min(rules.peerWindow() - peerRequests.getOrDefault(peer, 0), view.freeSlots(peer));
    }

    /** Range requests for leased chunks not yet asked for, adjacent ones joined, while the origin window has room. */
    private void fetchLeased(List<PullCommand> out, int originRequests, Instant now) {
        BitSet wanted = (BitSet) leases.held().clone();
        wanted.andNot(inFlight);
        wanted.andNot(stored);
        for (OriginRanges.Run run : OriginRanges.of(wanted, recipe.chunks(), rules.maxOriginRangeBytes(), rules.originWindow() - originRequests)) {
            int id = send(Kind.ORIGIN, null, run.chunks(), now);
            out.add(new FetchFromOrigin(id, recipe.chunks().get(run.chunks().get(0)).offset(), run.bytes(), run.chunks(),
                    view.claimedBytes(run.chunks())));
        }
    }

    private int send(Kind kind, NodeInfo peer, List<Integer> chunks, Instant now) {
        int id = nextId++;
        requests.put(id, new Request(id, kind, peer, List.copyOf(chunks), now));
        if (kind == Kind.LEASES) {
            leases.asking(chunks);
        } else {
            chunks.forEach(inFlight::set);
        }
        return id;
    }

    private void flushAdvert(List<PullCommand> out, boolean force) {
        Instant now = clock.instant();
        if (advertisePending && !stored.isEmpty() && (force || !now.isBefore(lastAdvertised.plus(rules.advertiseInterval())))) {
            out.add(new Advertise(held()));
            lastAdvertised = now;
            advertisePending = false;
        }
    }

    private void giveUp(List<PullCommand> out, String reason, Optional<Throwable> cause) {
        List<Integer> mine = leases.releaseAll();
        if (!mine.isEmpty()) {
            out.add(new ReleaseLeases(mine));
        }
        over = true;
        out.add(new GiveUp(reason, cause));
    }
}
