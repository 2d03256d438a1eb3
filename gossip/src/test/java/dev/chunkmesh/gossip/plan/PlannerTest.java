package dev.chunkmesh.gossip.plan;

import static dev.chunkmesh.gossip.Nodes.bits;
import static dev.chunkmesh.gossip.Nodes.hubNode;
import static dev.chunkmesh.gossip.Nodes.popNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.store.Recipe;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final NodeInfo self = popNode("self", "pop1");
    private final Recipe recipe = Nodes.recipe(10, 1000);

    private static Map<String, List<Integer>> byPeer(Plan plan) {
        return plan.assignments().stream().filter(a -> a instanceof Assignment.FromPeer)
                .map(a -> (Assignment.FromPeer) a).collect(Collectors.toMap(p -> p.node().id().name(), Assignment.FromPeer::chunks));
    }

    private static List<Assignment.FromOrigin> origin(Plan plan) {
        return plan.assignments().stream().filter(a -> a instanceof Assignment.FromOrigin).map(a -> (Assignment.FromOrigin) a).toList();
    }

    private static void assertEveryMissingChunkOnce(Plan plan, ChunkBitmap local) {
        Set<Integer> seen = new HashSet<>();
        for (Assignment a : plan.assignments()) {
            for (int i : a.chunks()) {
                assertTrue(seen.add(i), "chunk " + i + " assigned twice");
                assertTrue(!local.has(i), "local chunk " + i + " fetched");
            }
        }
        assertEquals(local.length() - local.count(), seen.size());
    }

    @Test
    void fetchesNothingWhenEverythingIsLocal() {
        Plan plan = Planner.plan(self, recipe, ChunkBitmap.full(10), List.of(), PlanLimits.defaults());
        assertTrue(plan.nothingToFetch());
        assertEquals(10_000L, plan.bytesBySource().get(SourceKind.LOCAL));
    }

    @Test
    void goesToTheOriginOnlyForChunksNobodyHasAndJoinsAdjacentOnes() {
        ChunkBitmap local = bits(10, 3, 5);
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), bits(10, 8, 9), 0));
        Plan plan = Planner.plan(self, recipe, local, peers, new PlanLimits(2500, Set.of()));
        assertEveryMissingChunkOnce(plan, local);
        assertEquals(Map.of("a", List.of(8)), byPeer(plan));
        List<Assignment.FromOrigin> ranges = origin(plan);
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(5, 6), List.of(7), List.of(9)),
                ranges.stream().map(Assignment.FromOrigin::chunks).toList(), "split at local chunks, peer chunks and 2500 bytes");
        assertEquals(5000L, ranges.get(2).offset());
        assertEquals(2000L, ranges.get(2).bytes());
        assertEquals(7000L, plan.bytesBySource().get(SourceKind.ORIGIN));
    }

    @Test
    void prefersTheSamePopThenTheParentThenOtherPopsOverTheOrigin() {
        NodeInfo hub = hubNode("h", "hub1", "pop1");
        List<Candidate> peers = List.of(
                new Candidate(popNode("other", "pop9"), ChunkBitmap.full(10), 0),
                new Candidate(popNode("parent", "pop1"), bits(10, 0, 6), 0),
                new Candidate(hubNode("sibling", "hub1", "pop1"), bits(10, 0, 3), 0));
        Plan plan = Planner.plan(hub, recipe, ChunkBitmap.empty(10), peers, PlanLimits.defaults());
        assertEquals(Map.of("sibling", List.of(0, 1, 2), "parent", List.of(3, 4, 5), "other", List.of(6, 7, 8, 9)), byPeer(plan));
        assertEquals(3000L, plan.bytesBySource().get(SourceKind.SAME_POP));
        assertEquals(3000L, plan.bytesBySource().get(SourceKind.PARENT));
        assertEquals(4000L, plan.bytesBySource().get(SourceKind.OTHER_POP));
        assertEquals(0L, plan.bytesBySource().get(SourceKind.ORIGIN));
    }

    @Test
    void spreadsChunksEvenlyOverEqualHolders() {
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), ChunkBitmap.full(10), 0),
                new Candidate(popNode("b", "pop1"), ChunkBitmap.full(10), 0));
        Map<String, List<Integer>> split = byPeer(Planner.plan(self, recipe, ChunkBitmap.empty(10), peers, PlanLimits.defaults()));
        assertEquals(5, split.get("a").size());
        assertEquals(5, split.get("b").size());
    }

    @Test
    void givesABusyHolderLess() {
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), ChunkBitmap.full(10), 6),
                new Candidate(popNode("b", "pop1"), ChunkBitmap.full(10), 0));
        Map<String, List<Integer>> split = byPeer(Planner.plan(self, recipe, ChunkBitmap.empty(10), peers, PlanLimits.defaults()));
        assertEquals(2, split.get("a").size(), split.toString());
        assertEquals(8, split.get("b").size(), split.toString());
    }

    @Test
    void placesTheRarestChunksFirstSoSharedOnesBalanceAroundThem() {
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), ChunkBitmap.full(10), 0),
                new Candidate(popNode("b", "pop1"), bits(10, 0, 5), 0));
        Map<String, List<Integer>> split = byPeer(Planner.plan(self, recipe, ChunkBitmap.empty(10), peers, PlanLimits.defaults()));
        assertEquals(List.of(5, 6, 7, 8, 9), split.get("a"), "only a holds these");
        assertEquals(List.of(0, 1, 2, 3, 4), split.get("b"), "so the shared ones go to b");
    }

    @Test
    void replansAroundAFailedPeer() {
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), ChunkBitmap.full(10), 0),
                new Candidate(popNode("b", "pop1"), bits(10, 0, 5), 0));
        ChunkBitmap local = bits(10, 0, 2);
        PlanLimits limits = PlanLimits.defaults().excluding(new NodeId("a"));
        Plan plan = Planner.plan(self, recipe, local, peers, limits);
        assertEveryMissingChunkOnce(plan, local);
        assertEquals(Map.of("b", List.of(2, 3, 4)), byPeer(plan));
        assertEquals(5000L, plan.bytesBySource().get(SourceKind.ORIGIN));
    }

    @Test
    void neverPlansToFetchFromItself() {
        List<Candidate> peers = List.of(new Candidate(self, ChunkBitmap.full(10), 0));
        Plan plan = Planner.plan(self, recipe, ChunkBitmap.empty(10), peers, PlanLimits.defaults());
        assertEquals(10_000L, plan.bytesBySource().get(SourceKind.ORIGIN));
    }

    @Test
    void equalInputsGiveEqualPlans() {
        List<Candidate> peers = List.of(new Candidate(popNode("a", "pop1"), bits(10, 0, 7), 1),
                new Candidate(popNode("b", "pop1"), bits(10, 3, 10), 0), new Candidate(popNode("c", "pop2"), ChunkBitmap.full(10), 0));
        Plan first = Planner.plan(self, recipe, bits(10, 9, 10), peers, PlanLimits.defaults());
        for (int i = 0; i < 5; i++) {
            assertEquals(first, Planner.plan(self, recipe, bits(10, 9, 10), List.of(peers.get(2), peers.get(0), peers.get(1)),
                    PlanLimits.defaults()));
        }
    }
}
