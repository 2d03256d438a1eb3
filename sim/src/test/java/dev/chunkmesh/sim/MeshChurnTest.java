package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nodes that die mid-pull take no lease afterwards, so nothing waits on them for ever. */
class MeshChurnTest {

    @Test
    void churnDuringAnOriginOutageFailsOnlyTheNodesThatDied() throws Exception {
        Scenario sc = ScenarioLoader.load("origin-outage");
        World w = new World(sc);
        Workload wl = Workload.of(sc.release(), sc.seed());
        Strategy mesh = Strategies.of("mesh", w, wl);
        Simulation.Run run = new Simulation(w, wl).run(mesh, f -> { });
        int died = 0;
        for (int i = 0; i < w.nodes; i++) {
            died += mesh.dead[i] ? 1 : 0;
            assertEquals(false, run.failed()[i] && !mesh.dead[i], "node " + i + " lived and did not finish");
        }
        assertTrue(died > 0, "the scenario's churn killed some nodes");
    }
}
