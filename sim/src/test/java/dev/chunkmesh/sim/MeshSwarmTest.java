package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The mesh strategy in one big POP: upload slots make it swarm instead of queuing behind the first holders. */
class MeshSwarmTest {

    private record Outcome(double p50, int peakUploads, long originBytes, long uniqueBytes, boolean allDone) {}

    private static Outcome run(int uploadSlots) throws Exception {
        Scenario sc = ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                origin: {bandwidth: 1Gbit, latency: 5ms}
                pops: [{count: 1, nodes: 300, up: 1Gbit, down: 1Gbit, uplink: 1000Gbit}]
                latency: {same-pop: 1ms}
                release: {layers: [32MiB]}
                strategies: [mesh]
                engine: {span: 2MiB, upload-slots: %d}
                """.formatted(uploadSlots)), "swarm");
        World w = new World(sc);
        Workload wl = Workload.of(sc.release(), sc.seed());
        Strategy st = Strategies.of("mesh", w, wl);
        Simulation.Run run = new Simulation(w, wl).run(st, f -> { });
        double[] took = new double[w.nodes];
        boolean allDone = true;
        for (int i = 0; i < w.nodes; i++) {
            allDone &= !run.failed()[i];
            took[i] = run.end()[i] - run.start()[i];
        }
        Arrays.sort(took);
        return new Outcome(took[w.nodes / 2], st.peakUploads, run.bytes().get(Transfer.From.ORIGIN), wl.uniqueBytes(), allDone);
    }

    @Test
    void withUploadSlotsNoNodeServesMoreThanItsSlotsAndThePopSwarmsFasterThanWithout() throws Exception {
        Outcome slots = run(4);
        Outcome unlimited = run(100_000);
        assertTrue(slots.allDone() && unlimited.allDone());
        assertEquals(4, slots.peakUploads(), "a request beyond a node's four slots was answered busy");
        assertTrue(unlimited.peakUploads() > 40, "without slots requesters pile on a few holders: " + unlimited.peakUploads());
        assertEquals(slots.uniqueBytes(), slots.originBytes(), slots.uniqueBytes() / 100.0, "each byte from the origin once");
        assertTrue(slots.p50() < unlimited.p50() / 2, "median pull " + slots.p50() + " s with slots, " + unlimited.p50() + " s without");
    }
}
