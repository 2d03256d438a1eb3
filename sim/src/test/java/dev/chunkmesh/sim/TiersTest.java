package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TiersTest {

    private static Scenario yaml(String pops) throws Exception {
        return ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("pops:\n" + pops + "release: {layers: [1MiB]}\n"), "test");
    }

    private static String refusal(String pops) {
        return assertThrows(IllegalArgumentException.class, () -> yaml(pops)).getMessage();
    }

    @Test
    void popsOfAGroupAreSpreadInTurnOverTheGroupTheyNameAsUpper() throws Exception {
        Tiers t = Tiers.of(yaml("""
                  - {name: pop, count: 5, upper: region}
                  - {name: region, count: 2, cache-only: true}
                  - {name: lone, count: 1, upper: region-2}
                """).pops());
        assertEquals(List.of("pop-1", "pop-2", "pop-3", "pop-4", "pop-5", "region-1", "region-2", "lone-1"), t.names());
        assertArrayEquals(new int[] {5, 6, 5, 6, 5, -1, -1, 6}, t.upper());
        assertEquals(6, t.root(7));
        assertTrue(t.cacheOnly()[5] && !t.cacheOnly()[0]);
    }

    @Test
    void anUpperThatNamesNoPopOrGroupIsRefusedWithTheGroupsThereAre() {
        String m = refusal("""
                  - {name: pop, count: 2, upper: regoin}
                  - {name: region, count: 1, cache-only: true}
                """);
        assertEquals("pops[0].upper 'regoin' names no POP or POP group; groups: [pop, region]", m);
    }

    @Test
    void uppersThatFormACycleAreRefusedWithTheCycle() {
        String m = refusal("""
                  - {name: pop, count: 1, upper: region-1}
                  - {name: region, count: 1, upper: continent}
                  - {name: continent, count: 1, upper: region}
                """);
        assertEquals("upper tiers form a cycle: region-1 -> continent-1 -> region-1; a chain of uppers must end at a POP without one "
                + "(a root tier)", m);
        assertTrue(refusal("  - {name: pop, count: 2, upper: pop}\n").startsWith("upper tiers form a cycle: pop-1 -> pop-1"));
    }

    @Test
    void aScenarioWhoseEveryPopIsCacheOnlyOrWhosePopNamesClashIsRefused() {
        assertTrue(refusal("  - {name: region, count: 2, cache-only: true}\n").contains("no node that pulls the release"));
        assertTrue(refusal("  - {name: a, count: 1}\n  - {name: a, count: 2}\n").contains("POP 'a-1' is named twice"));
        assertTrue(refusal("  - {name: a, count: 1, cache-only: maybe}\n").contains("'pops[0].cache-only' must be true or false"));
    }

    @Test
    void cacheOnlyNodesPullNothingAndByPopWavesSkipTheirPops() throws Exception {
        Scenario sc = ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                pops:
                  - {name: region, count: 1, nodes: 2, cache-only: true}
                  - {name: pop, count: 2, nodes: 2, upper: region}
                release: {layers: [1MiB]}
                rollout: {mode: by-pop, interval: 10s}
                """), "test");
        World w = new World(sc);
        double[] start = Waves.startTimes(w);
        assertEquals(4, w.targets);
        assertTrue(Double.isNaN(start[0]) && Double.isNaN(start[1]), "the region's nodes have no start");
        assertArrayEquals(new double[] {0, 0, 10, 10}, Arrays.copyOfRange(start, 2, 6));
    }
}
