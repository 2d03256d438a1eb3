package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class PieceSwarmTest {

    private static Scenario yaml(String engine) throws Exception {
        return ScenarioLoader.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                origin: {bandwidth: 1Gbit}
                pops: [{count: 2, nodes: 20, up: 1Gbit, down: 1Gbit}]
                release: {layers: [24MiB]}
                strategies: [piece-p2p]
                engine: %s
                """.formatted(engine)), "test");
    }

    @Test
    void aKrakenSwarmDeliversEveryPullWithinItsConnectionAndPipelineLimits() throws Exception {
        Scenario sc = yaml("{piece: 1MiB, piece-conns: 4, piece-pipeline: 2}");
        World w = new World(sc);
        Workload wl = Workload.of(sc.release(), sc.seed());
        Strategy st = Strategies.of("piece-p2p", w, wl);
        PieceSwarm swarm = assertInstanceOf(PieceSwarm.class, st, "piece-conns above 0 selects the swarm");
        Simulation.Run run = new Simulation(w, wl).run(swarm, f -> { });
        assertEquals(8, swarm.concurrency(), "4 connections with 2 requests each");
        for (int i = 0; i < w.nodes; i++) {
            assertTrue(!run.failed()[i], "node " + i + " finished");
            assertTrue(swarm.connections(i) >= 1 && swarm.connections(i) <= 4, "node " + i + " has " + swarm.connections(i));
        }
        assertEquals(4, swarm.connections(Transfer.ORIGIN), "the origin seeds over its own four connections");
        long origin = run.bytes().get(Transfer.From.ORIGIN);
        assertTrue(origin >= wl.uniqueBytes() && origin < 40L * wl.uniqueBytes() / 4, "the swarm, not the origin, fed most nodes: " + origin);
    }

    @Test
    void withoutPieceConnsPieceP2pKeepsItsFleetWideTracker() throws Exception {
        Scenario sc = yaml("{piece: 1MiB}");
        assertInstanceOf(PieceP2p.class, Strategies.of("piece-p2p", new World(sc), Workload.of(sc.release(), sc.seed())));
    }
}
