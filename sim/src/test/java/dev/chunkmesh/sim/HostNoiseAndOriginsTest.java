package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Per-host noise ({@code pops[].spread}) and an origin of several servers ({@code origin.count}). */
class HostNoiseAndOriginsTest {
    private static final double MB = 1e6;

    private static Scenario yaml(String origin, String spread, String rest) throws Exception {
        return ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                origin: %s
                pops: [{count: 1, nodes: 4000, up: 200MB, down: 300MB, spread: %s}]
                release: {layers: [24MiB]}
                faults: {lying-peers: 0.1}
                %s
                """.formatted(origin, spread, rest)), "test");
    }

    @Test
    void aSpreadSlowsTheDownloadsOfAboutHalfTheHostsByALogNormalFactorAndSpeedsNoneUp() throws Exception {
        World w = new World(yaml("{bandwidth: 10Gbit}", "0.25", ""));
        double[] factor = new double[w.nodes];
        int atCaps = 0;
        for (int i = 0; i < w.nodes; i++) {
            double down = w.baseCapacity[w.downLink[i]];
            double up = w.baseCapacity[w.upLink[i]];
            factor[i] = down / (300 * MB);
            assertTrue(factor[i] > 0 && factor[i] <= 1, "node " + i + " runs at " + factor[i] + " of its caps");
            assertEquals(200 * MB, up, "uploads keep their cap on node " + i);
            assertEquals(300 * MB, w.nominalDown[i], "the configured rate is kept");
            atCaps += factor[i] == 1 ? 1 : 0;
        }
        assertTrue(atCaps > 0.45 * w.nodes && atCaps < 0.55 * w.nodes, "about half the hosts reach the caps: " + atCaps);
        Arrays.sort(factor);
        double first = factor[w.nodes / 100];
        assertEquals(Math.exp(-2.326 * 0.25), first, 0.03, "the slowest 1 % run at e^(-2.326 spread) of the caps or slower");
    }

    @Test
    void withoutASpreadEveryHostRunsAtItsCapsAndTheOtherDrawsAreTheSameWithOne() throws Exception {
        World plain = new World(yaml("{bandwidth: 10Gbit}", "0", ""));
        World noisy = new World(yaml("{bandwidth: 10Gbit}", "0.5", ""));
        for (int i = 0; i < plain.nodes; i++) {
            assertEquals(300 * MB, plain.baseCapacity[plain.downLink[i]]);
            assertEquals(200 * MB, plain.baseCapacity[plain.upLink[i]]);
        }
        assertArrayEquals(plain.lying, noisy.lying, "the noise has a random stream of its own");
        Workload wl = Workload.of(plain.scenario.release(), 1);
        assertEquals(Summary.bound(plain, wl), Summary.bound(noisy, wl), "the bound is at the configured rates");
    }

    @Test
    void slowedHostsLengthenTheTailOfTheSwarm() throws Exception {
        String small = """
                strategies: [piece-p2p]
                engine: {piece: 1MiB, piece-conns: 4}
                """;
        double[] p99 = new double[2];
        for (int k = 0; k < 2; k++) {
            Scenario sc = ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                    origin: {bandwidth: 10Gbit}
                    pops: [{count: 1, nodes: 200, up: 100MB, down: 20MB, spread: %s}]
                    release: {layers: [24MiB]}
                    %s
                    """.formatted(k == 0 ? "0" : "0.4", small)), "test");
            World w = new World(sc);
            Workload wl = Workload.of(sc.release(), sc.seed());
            Summary s = Summary.of(new Simulation(w, wl).run(Strategies.of("piece-p2p", w, wl), f -> { }), w, wl);
            assertEquals(0, s.failedPulls());
            p99[k] = s.p99();
        }
        assertTrue(p99[1] > 1.5 * p99[0], "hosts slowed to e^(-2.326 * 0.4) = 0.39 of their caps finish later: " + Arrays.toString(p99));
    }

    @Test
    void anOriginOfFiveServersSendsFiveTimesTheBandwidthAndTakesFiveTimesTheSwarmConnections() throws Exception {
        Scenario sc = yaml("{bandwidth: 1Gbit, count: 5}", "0", """
                strategies: [piece-p2p]
                engine: {piece: 1MiB, piece-conns: 4}
                """);
        World w = new World(sc);
        assertEquals(5 * 125 * MB, w.baseCapacity[w.originLink]);
        Workload wl = Workload.of(sc.release(), sc.seed());
        PieceSwarm swarm = (PieceSwarm) Strategies.of("piece-p2p", w, wl);
        new Simulation(w, wl).run(swarm, f -> { });
        assertEquals(20, swarm.connections(Transfer.ORIGIN), "four connections per origin server");
    }

    @Test
    void aNegativeSpreadOrAnOriginOfNoServersIsRefused() {
        IllegalArgumentException spread = assertThrows(IllegalArgumentException.class, () -> yaml("{bandwidth: 1Gbit}", "-0.1", ""));
        assertTrue(spread.getMessage().contains("spread"), spread.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> yaml("{bandwidth: 1Gbit, count: 0}", "0", ""));
        assertTrue(count.getMessage().contains("count"), count.getMessage());
    }
}
