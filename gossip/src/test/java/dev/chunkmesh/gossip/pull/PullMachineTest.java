package dev.chunkmesh.gossip.pull;

import static dev.chunkmesh.gossip.Nodes.bits;
import static dev.chunkmesh.gossip.Nodes.hubNode;
import static dev.chunkmesh.gossip.Nodes.popNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.plan.SourceKind;
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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of a pull, one per test. */
class PullMachineTest {
    private final NodeInfo self = popNode("self", "pop1");
    private final NodeInfo a = popNode("a", "pop1");
    private final NodeInfo b = popNode("b", "pop1");
    private final Recipe recipe = Nodes.recipe(100, 1000);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PullRules rules = new PullRules(16, 4, 2, 16, 10_000, Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofMillis(200), Duration.ofMillis(50), 3);

    private PullMachine machine(ChunkBitmap local) {
        return new PullMachine(self, recipe, local, rules, clock);
    }

    private static Holders holders(Map<NodeInfo, ChunkBitmap> held) {
        return new Holders(held, Set.of());
    }

    private static <T> List<T> only(List<PullCommand> cmds, Class<T> type) {
        return cmds.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aBlobHeldWhollyIsAdvertisedAndFinishedWithoutAFetch() {
        List<PullCommand> cmds = machine(ChunkBitmap.full(100)).start(holders(Map.of(a, ChunkBitmap.full(100))));
        assertEquals(1, only(cmds, Advertise.class).size());
        assertEquals(1, only(cmds, Finish.class).size());
        assertTrue(only(cmds, FetchFromPeer.class).isEmpty());
    }

    @Test
    void chunksHeldLocallyAreNeverAskedForAndAPeerGetsAWindowOfBatches() {
        PullMachine m = machine(bits(100, 0, 10));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100)))), FetchFromPeer.class);
        assertEquals(4, asks.size(), "peerWindow requests in flight to the one holder");
        assertEquals(List.of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25), asks.get(0).chunks());
        asks.forEach(f -> assertEquals(16, f.chunks().size()));
        asks.forEach(f -> assertEquals(SourceKind.SAME_POP, f.kind()));
    }

    @Test
    void eachAnswerRefillsItsPeersWindowAtOnceWithoutWaitingForTheOthers() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100)))), FetchFromPeer.class);
        List<FetchFromPeer> next = only(m.on(Answered.ok(asks.get(0).request(), new HashSet<>(asks.get(0).chunks()))), FetchFromPeer.class);
        assertEquals(1, next.size());
        assertEquals(64, next.get(0).chunks().get(0), "the next chunks after the four batches in flight");
    }

    @Test
    void theRarestChunksAreAskedForFirst() {
        NodeInfo c = popNode("c", "pop1");
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100), b, bits(100, 0, 90), c, bits(100, 0, 90)))),
                FetchFromPeer.class);
        assertTrue(asks.stream().anyMatch(f -> f.peer().equals(a) && f.chunks().contains(95)), "chunks only a holds go first: " + asks);
    }

    @Test
    void aHolderBusyServingOthersGetsFewerChunksThanAnIdleOne() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(new Holders(Map.of(a, ChunkBitmap.full(100), b, ChunkBitmap.full(100)),
                Map.of(a.id(), 40), Set.of())), FetchFromPeer.class);
        long toB = asks.stream().filter(f -> f.peer().equals(b)).mapToLong(f -> f.chunks().size()).sum();
        long toA = asks.stream().filter(f -> f.peer().equals(a)).mapToLong(f -> f.chunks().size()).sum();
        assertTrue(toB > toA, "a serves 40 transfers already, b none: " + asks);
        assertTrue(asks.stream().anyMatch(f -> f.peer().equals(b) && f.chunks().contains(0)), "the idle holder starts with the first chunks");
    }

    @Test
    void requestsInFlightNeverExceedThePullsLimitOverAllPeers() {
        PullRules tight = new PullRules(4, 4, 2, 3, 10_000, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMillis(200),
                Duration.ofMillis(50), 3);
        NodeInfo c = popNode("c", "pop1");
        PullMachine m = new PullMachine(self, recipe, ChunkBitmap.empty(100), tight, clock);
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100), b, ChunkBitmap.full(100), c, ChunkBitmap.full(100)))),
                FetchFromPeer.class);
        assertEquals(3, asks.size());
        assertEquals(1, only(m.on(Answered.ok(asks.get(0).request(), new HashSet<>(asks.get(0).chunks()))), FetchFromPeer.class).size());
    }

    @Test
    void theNearestTierIsPreferred() {
        NodeInfo hub = hubNode("hub", "hub1", "pop1");
        NodeInfo parent = popNode("p", "pop1");
        NodeInfo far = popNode("far", "pop9");
        PullMachine m = new PullMachine(hub, recipe, ChunkBitmap.empty(100), rules, clock);
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(parent, ChunkBitmap.full(100), far, ChunkBitmap.full(100)))),
                FetchFromPeer.class);
        asks.forEach(f -> assertEquals(parent, f.peer()));
        asks.forEach(f -> assertEquals(SourceKind.PARENT, f.kind()));
    }

    @Test
    void aChunkNobodyHoldsComesFromTheOriginOnlyUnderItsLeaseAndIsAdvertisedBeforeTheLeaseGoesBack() {
        Recipe small = Nodes.recipe(5, 1000);
        PullMachine m = new PullMachine(self, small, ChunkBitmap.empty(5), rules, clock);
        List<PullCommand> first = m.start(holders(Map.of()));
        assertTrue(only(first, FetchFromOrigin.class).isEmpty(), "no origin fetch before the lease");
        AcquireLeases ask = only(first, AcquireLeases.class).get(0);
        assertEquals(List.of(0, 1, 2, 3, 4), ask.chunks());
        List<FetchFromOrigin> ranges = only(m.on(new LeasesAnswered(ask.request(), Set.of(0, 1, 2, 3, 4), Map.of())), FetchFromOrigin.class);
        assertEquals(1, ranges.size());
        assertEquals(0, ranges.get(0).offset());
        assertEquals(5000, ranges.get(0).length());
        List<PullCommand> after = m.on(Answered.ok(ranges.get(0).request(), Set.of(0, 1, 2, 3, 4)));
        int advert = after.indexOf(only(after, Advertise.class).get(0));
        int release = after.indexOf(only(after, ReleaseLeases.class).get(0));
        assertTrue(advert < release, "advertised before the leases are released: " + after);
        assertEquals(1, only(after, Finish.class).size());
    }

    @Test
    void originRangesJoinAdjacentChunksUpToTheRangeLimitAndKeepTheOriginWindow() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        AcquireLeases ask = only(m.start(holders(Map.of())), AcquireLeases.class).get(0);
        assertEquals(20, ask.chunks().size(), "leases only for what two 10 kB ranges fetch");
        List<FetchFromOrigin> ranges = only(m.on(new LeasesAnswered(ask.request(), new HashSet<>(ask.chunks()), Map.of())),
                FetchFromOrigin.class);
        assertEquals(2, ranges.size());
        ranges.forEach(r -> assertEquals(10_000, r.length()));
    }

    @Test
    void aChunkWhoseLeaseAnotherNodeHoldsIsTakenFromThatNodeOnceItAdvertisesIt() {
        Recipe small = Nodes.recipe(5, 1000);
        PullMachine m = new PullMachine(self, small, ChunkBitmap.empty(5), rules, clock);
        AcquireLeases ask = only(m.start(holders(Map.of())), AcquireLeases.class).get(0);
        List<PullCommand> waiting = m.on(new LeasesAnswered(ask.request(), Set.of(), Map.of(0, a.id(), 1, a.id(), 2, a.id(), 3, a.id(), 4, a.id())));
        assertTrue(only(waiting, FetchFromOrigin.class).isEmpty() && only(waiting, AcquireLeases.class).isEmpty());
        List<FetchFromPeer> asks = only(m.on(holders(Map.of(a, ChunkBitmap.full(5)))), FetchFromPeer.class);
        assertEquals(List.of(0, 1, 2, 3, 4), asks.get(0).chunks());
        assertEquals(a, asks.get(0).peer());
    }

    @Test
    void aLeaseHeldElsewhereIsAskedForAgainAfterTheRetryTime() {
        Recipe small = Nodes.recipe(2, 1000);
        PullMachine m = new PullMachine(self, small, ChunkBitmap.empty(2), rules, clock);
        AcquireLeases ask = only(m.start(holders(Map.of())), AcquireLeases.class).get(0);
        m.on(new LeasesAnswered(ask.request(), Set.of(), Map.of(0, a.id(), 1, a.id())));
        clock.advance(Duration.ofMillis(100));
        assertTrue(only(m.on(new Tick()), AcquireLeases.class).isEmpty());
        clock.advance(Duration.ofMillis(150));
        assertEquals(List.of(0, 1), only(m.on(new Tick()), AcquireLeases.class).get(0).chunks());
    }

    @Test
    void aPeerWhoseRequestsFailRestsWithItsChunksWaitingForItAndIsLeftOutWhenItFailsAgainAfterItsRest() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100)))), FetchFromPeer.class);
        assertTrue(asks.size() > 1);
        List<PullCommand> afterOutage = List.of();
        for (FetchFromPeer f : asks) {
            afterOutage = m.on(Answered.failed(f.request(), Outcome.UNAVAILABLE, new IOException("connection reset")));
        }
        assertTrue(only(afterOutage, FetchFromPeer.class).isEmpty(), "a rests");
        assertTrue(only(afterOutage, AcquireLeases.class).isEmpty(), "what only a holds waits for it, not the origin: " + afterOutage);
        clock.advance(PullRules.FAILURE_COOL_OFF);
        List<FetchFromPeer> again = only(m.on(new Tick()), FetchFromPeer.class);
        assertFalse(again.isEmpty(), "one outage with all its window failing counts once: a is asked again");
        assertTrue(again.stream().allMatch(f -> f.peer().equals(a)));
        List<PullCommand> afterSecond = m.on(Answered.failed(again.get(0).request(), Outcome.UNAVAILABLE, new IOException("connection reset")));
        assertFalse(only(afterSecond, AcquireLeases.class).isEmpty(), "failing after its rest leaves a out: its chunks go to the origin");
        clock.advance(PullRules.FAILURE_COOL_OFF.multipliedBy(3));
        assertTrue(only(m.on(new Tick()), FetchFromPeer.class).isEmpty(), "for the rest of the pull");
    }

    @Test
    void aPeerThatFailsRestsAndItsChunksGoToAnotherHolderAtOnce() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100), b, ChunkBitmap.full(100)))), FetchFromPeer.class);
        FetchFromPeer toA = asks.stream().filter(f -> f.peer().equals(a)).findFirst().orElseThrow();
        List<FetchFromPeer> again = only(m.on(Answered.failed(toA.request(), Outcome.UNAVAILABLE, new IOException("refused"))),
                FetchFromPeer.class);
        assertTrue(again.stream().allMatch(f -> f.peer().equals(b)));
        assertTrue(again.stream().anyMatch(f -> f.chunks().containsAll(toA.chunks())) || again.isEmpty(),
                "a's chunks re-planned on b as soon as b's window has room");
        for (FetchFromPeer f : asks) {
            if (f.peer().equals(a) && f != toA) {
                assertTrue(only(m.on(Answered.ok(f.request(), Set.of())), FetchFromPeer.class).stream().noneMatch(x -> x.peer().equals(a)));
            }
        }
    }

    @Test
    void aPeerThatSendsWrongBytesIsPenalisedAndLeftOut() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        FetchFromPeer ask = only(m.start(holders(Map.of(a, ChunkBitmap.full(100)))), FetchFromPeer.class).get(0);
        List<PullCommand> cmds = m.on(Answered.failed(ask.request(), Outcome.CORRUPT, new IOException("bad frame")));
        assertEquals(List.of(new Penalise(a.id())), only(cmds, Penalise.class));
        assertTrue(only(cmds, FetchFromPeer.class).isEmpty());
    }

    @Test
    void aPenalisedPeerIsNotAskedAndItsChunksComeFromTheOriginCountedAsHeldInThePop() {
        PullMachine m = new PullMachine(self, Nodes.recipe(3, 1000), ChunkBitmap.empty(3), rules, clock);
        List<PullCommand> cmds = m.start(new Holders(Map.of(a, ChunkBitmap.full(3)), Set.of(a.id())));
        assertTrue(only(cmds, FetchFromPeer.class).isEmpty());
        AcquireLeases ask = only(cmds, AcquireLeases.class).get(0);
        FetchFromOrigin range = only(m.on(new LeasesAnswered(ask.request(), Set.of(0, 1, 2), Map.of())), FetchFromOrigin.class).get(0);
        assertEquals(3000, range.heldInPopBytes());
    }

    @Test
    void aPeerThatDoesNotAnswerInTimeIsDroppedAndPenalisedOnceAndALateAnswerStillCounts() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100), b, ChunkBitmap.full(100)))), FetchFromPeer.class);
        FetchFromPeer toA = asks.stream().filter(f -> f.peer().equals(a)).findFirst().orElseThrow();
        for (FetchFromPeer f : asks) {
            if (f.peer().equals(b)) {
                m.on(Answered.ok(f.request(), new HashSet<>(f.chunks())));
            }
        }
        clock.advance(Duration.ofSeconds(16));
        List<PullCommand> cmds = m.on(new Tick());
        assertTrue(only(cmds, FetchFromPeer.class).stream().noneMatch(f -> f.peer().equals(a)), "a is left out");
        assertEquals(List.of(new Penalise(a.id())), only(cmds, Penalise.class), "so other pulls do not wait on it either");
        m.on(Answered.ok(toA.request(), new HashSet<>(toA.chunks())));
        toA.chunks().forEach(i -> assertTrue(m.held().has(i)));
    }

    @Test
    void aPullThatStoresNothingForTheStallTimeoutGivesUpSayingWhy() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        AcquireLeases ask = only(m.start(holders(Map.of())), AcquireLeases.class).get(0);
        m.on(new LeasesAnswered(ask.request(), Set.of(), Map.of(0, a.id())));
        clock.advance(Duration.ofSeconds(61));
        GiveUp g = only(m.on(new Tick()), GiveUp.class).get(0);
        assertTrue(g.reason().contains("stalled: 100 chunks found nowhere for 60 s"), g.reason());
        assertTrue(m.over());
        assertTrue(m.on(new Tick()).isEmpty(), "nothing after giving up");
    }

    @Test
    void theOriginFailingThreeTimesInARowEndsThePullAndGivesItsLeasesBack() {
        PullMachine m = new PullMachine(self, Nodes.recipe(2, 1000), ChunkBitmap.empty(2), rules, clock);
        AcquireLeases ask = only(m.start(holders(Map.of())), AcquireLeases.class).get(0);
        FetchFromOrigin range = only(m.on(new LeasesAnswered(ask.request(), Set.of(0, 1), Map.of())), FetchFromOrigin.class).get(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<PullCommand> cmds = m.on(Answered.failed(range.request(), Outcome.UNAVAILABLE, new IOException("502 from origin")));
            assertEquals(List.of(0, 1), only(cmds, ReleaseLeases.class).get(0).chunks());
            if (attempt < 3) {
                assertFalse(m.over());
                ask = only(cmds, AcquireLeases.class).get(0);
                range = only(m.on(new LeasesAnswered(ask.request(), Set.of(0, 1), Map.of())), FetchFromOrigin.class).get(0);
            } else {
                GiveUp g = only(cmds, GiveUp.class).get(0);
                assertTrue(g.reason().contains("502 from origin"), g.reason());
            }
        }
    }

    @Test
    void storedChunksAreAdvertisedWithinTheIntervalNotOncePerAnswer() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100)))), FetchFromPeer.class);
        assertEquals(1, only(m.on(Answered.ok(asks.get(0).request(), new HashSet<>(asks.get(0).chunks()))), Advertise.class).size());
        assertTrue(only(m.on(Answered.ok(asks.get(1).request(), new HashSet<>(asks.get(1).chunks()))), Advertise.class).isEmpty());
        clock.advance(Duration.ofMillis(50));
        Advertise ad = only(m.on(new Tick()), Advertise.class).get(0);
        assertEquals(32, ad.held().count());
    }

    @Test
    void aClaimOfTheWrongLengthAndThisNodesOwnClaimAreIgnored() {
        PullMachine m = machine(ChunkBitmap.empty(100));
        List<PullCommand> cmds = m.start(holders(Map.of(a, ChunkBitmap.full(99), self, ChunkBitmap.full(100))));
        assertTrue(only(cmds, FetchFromPeer.class).isEmpty());
        assertEquals(1, only(cmds, AcquireLeases.class).size());
        assertEquals(new NodeId("self"), self.id());
    }

    @Test
    void aBusyPeerIsNeitherLeftOutNorPenalisedItsChunksGoToAnotherHolderAndItIsAskedAgainAfterItsRest() {
        PullRules oneEach = new PullRules(16, 1, 2, 2, 10_000, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMillis(200),
                Duration.ofMillis(50), 3).withUploadSlots(4, Duration.ofMillis(100));
        PullMachine m = new PullMachine(self, recipe, ChunkBitmap.empty(100), oneEach, clock);
        List<FetchFromPeer> asks = only(m.start(holders(Map.of(a, ChunkBitmap.full(100), b, ChunkBitmap.full(100)))), FetchFromPeer.class);
        FetchFromPeer toA = asks.stream().filter(f -> f.peer().equals(a)).findFirst().orElseThrow();
        FetchFromPeer toB = asks.stream().filter(f -> f.peer().equals(b)).findFirst().orElseThrow();
        List<PullCommand> afterBusy = m.on(Answered.failed(toA.request(), Outcome.BUSY, new IOException("503, all upload slots taken")));
        assertTrue(only(afterBusy, Penalise.class).isEmpty(), "busy is not misbehaviour");
        assertTrue(only(afterBusy, FetchFromPeer.class).isEmpty(), "a rests and b's window is full: " + afterBusy);
        List<FetchFromPeer> next = only(m.on(Answered.ok(toB.request(), new HashSet<>(toB.chunks()))), FetchFromPeer.class);
        assertEquals(1, next.size());
        assertEquals(b, next.get(0).peer());
        assertEquals(toA.chunks(), next.get(0).chunks(), "a's chunks went to b, rarest first among equals by index");
        clock.advance(Duration.ofMillis(100));
        List<FetchFromPeer> rested = only(m.on(new Tick()), FetchFromPeer.class);
        assertEquals(List.of(a), rested.stream().map(FetchFromPeer::peer).toList(), "a is asked again once its rest is over");
    }

    @Test
    void aChunkOnlyABusyPeerHoldsWaitsForItAndNeverGoesToTheOrigin() {
        PullMachine m = new PullMachine(self, Nodes.recipe(3, 1000), ChunkBitmap.empty(3), rules, clock);
        FetchFromPeer ask = only(m.start(holders(Map.of(a, ChunkBitmap.full(3)))), FetchFromPeer.class).get(0);
        List<PullCommand> afterBusy = m.on(Answered.failed(ask.request(), Outcome.BUSY, new IOException("busy")));
        assertTrue(only(afterBusy, AcquireLeases.class).isEmpty() && only(afterBusy, FetchFromOrigin.class).isEmpty(), afterBusy.toString());
        clock.advance(Duration.ofMillis(50));
        assertTrue(m.on(new Tick()).isEmpty(), "still resting");
        clock.advance(Duration.ofMillis(50));
        assertEquals(List.of(0, 1, 2), only(m.on(new Tick()), FetchFromPeer.class).get(0).chunks());
    }

    @Test
    void aPeerThatAnswersNothingButBusyForTheRequestTimeoutIsLeftOutAndItsChunksGoToTheOrigin() {
        PullMachine m = new PullMachine(self, Nodes.recipe(3, 1000), ChunkBitmap.empty(3), rules, clock);
        FetchFromPeer ask = only(m.start(holders(Map.of(a, ChunkBitmap.full(3)))), FetchFromPeer.class).get(0);
        assertTrue(only(m.on(Answered.failed(ask.request(), Outcome.BUSY, new IOException("busy"))), AcquireLeases.class).isEmpty());
        clock.advance(Duration.ofSeconds(15));
        FetchFromPeer again = only(m.on(new Tick()), FetchFromPeer.class).get(0);
        List<PullCommand> cmds = m.on(Answered.failed(again.request(), Outcome.BUSY, new IOException("busy")));
        assertEquals(List.of(0, 1, 2), only(cmds, AcquireLeases.class).get(0).chunks(), "busy for 15 s: its chunks go to the origin");
        assertTrue(only(cmds, Penalise.class).isEmpty(), "left out of this pull, not penalised");
    }

    @Test
    void aHolderWhoseUploadSlotsAreAllTakenIsNotAskedUntilAViewShowsAFreeSlot() {
        PullRules slots = rules.withUploadSlots(4, Duration.ofMillis(100));
        PullMachine m = new PullMachine(self, recipe, ChunkBitmap.empty(100), slots, clock);
        List<PullCommand> cmds = m.start(new Holders(Map.of(a, ChunkBitmap.full(100), b, bits(100, 0, 50)), Map.of(a.id(), 4), Set.of()));
        List<FetchFromPeer> asks = only(cmds, FetchFromPeer.class);
        assertTrue(!asks.isEmpty() && asks.stream().allMatch(f -> f.peer().equals(b)), "a serves 4 of its 4 slots: " + asks);
        assertTrue(only(cmds, AcquireLeases.class).isEmpty(), "what only a holds waits for a, not the origin");
        List<FetchFromPeer> later = only(m.on(new Holders(Map.of(a, ChunkBitmap.full(100), b, bits(100, 0, 50)), Map.of(a.id(), 3), Set.of())),
                FetchFromPeer.class);
        assertTrue(later.stream().anyMatch(f -> f.peer().equals(a) && f.chunks().contains(50)), "a has a free slot again: " + later);
        assertEquals(1, later.stream().filter(f -> f.peer().equals(a)).count(), "one request for its one free slot, not a window of four");
    }
}
