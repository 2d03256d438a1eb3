package dev.chunkmesh.gossip.pull;

import static dev.chunkmesh.gossip.Nodes.popNode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.pull.PullCommand.AcquireLeases;
import dev.chunkmesh.gossip.pull.PullCommand.FetchFromOrigin;
import dev.chunkmesh.gossip.pull.PullEvent.Holders;
import dev.chunkmesh.gossip.pull.PullEvent.LeasesAnswered;
import dev.chunkmesh.store.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How much of the origin's work a pull takes on at once under single-flight leases. */
class PullLeasesTest {
    private final NodeInfo self = popNode("self", "pop1");
    private final NodeInfo a = popNode("a", "pop1");
    private final Recipe recipe = Nodes.recipe(100, 1000);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Two origin requests at once, each a range of up to ten 1 kB chunks. */
    private final PullRules rules = new PullRules(16, 4, 2, 16, 10_000, Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofMillis(200), Duration.ofMillis(50), 3);

    private static <T> List<T> only(List<PullCommand> cmds, Class<T> type) {
        return cmds.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Peer {@code a} holds every even chunk: the chunks only the origin has are scattered, one range each. */
    private Holders evenChunksAtA() {
        ChunkBitmap even = ChunkBitmap.empty(100);
        for (int i = 0; i < 100; i += 2) {
            even = even.with(i);
        }
        return new Holders(Map.of(a, even), Set.of());
    }

    @Test
    void aPullLeasesNoMoreScatteredChunksThanItsOriginWindowFetchesAtOnce() {
        PullMachine m = new PullMachine(self, recipe, ChunkBitmap.empty(100), rules, clock);
        AcquireLeases ask = only(m.start(evenChunksAtA()), AcquireLeases.class).get(0);
        assertEquals(List.of(1, 3), ask.chunks(), "two ranges of one chunk, not 20 kB of scattered chunks");
        List<FetchFromOrigin> ranges = only(m.on(new LeasesAnswered(ask.request(), new HashSet<>(ask.chunks()), Map.of())),
                FetchFromOrigin.class);
        assertEquals(2, ranges.size());
    }

    @Test
    void leasesAskedForWhileTheOriginWindowIsFullWaitForIt() {
        PullMachine m = new PullMachine(self, recipe, ChunkBitmap.empty(100), rules, clock);
        AcquireLeases ask = only(m.start(new Holders(Map.of(), Set.of())), AcquireLeases.class).get(0);
        assertEquals(IntStream.range(0, 20).boxed().toList(), ask.chunks(), "two whole ranges of adjacent chunks");
        List<PullCommand> after = m.on(new LeasesAnswered(ask.request(), new HashSet<>(ask.chunks()), Map.of()));
        assertEquals(2, only(after, FetchFromOrigin.class).size());
        assertEquals(List.of(), only(after, AcquireLeases.class), "no more leases while both ranges are on their way");
    }
}
