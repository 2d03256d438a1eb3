package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The simulator's entry point: builds the fleet and the release of a scenario (real chunker and
 * recipes), runs every strategy on the same workload, and returns their runs and summaries.
 */
public final class FleetSim {

    /**
     * Everything one simulation found.
     *
     * @param nodes every node, including those of cache-only POPs
     * @param targetNodes the nodes that pull the release
     * @param roots the root tiers' names: the POPs that take bytes from the origin themselves
     */
    public record Result(Scenario scenario, int nodes, int targetNodes, List<String> roots, long releaseBytes, long uniqueBytes,
                         double wallSeconds, double workloadSeconds, List<Simulation.Run> runs, List<Summary> summaries,
                         List<Double> strategySeconds) {}

    private FleetSim() {
    }

    /**
     * @param progress hears (strategy, fraction of nodes finished) as runs go
     */
    public static Result run(Scenario scenario, BiConsumer<String, Double> progress) throws Exception {
        long t0 = System.nanoTime();
        World world = new World(scenario);
        Workload workload = Workload.of(scenario.release(), scenario.seed());
        double workloadSeconds = (System.nanoTime() - t0) / 1e9;
        Simulation sim = new Simulation(world, workload);
        List<Simulation.Run> runs = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (String name : scenario.strategies()) {
            long s0 = System.nanoTime();
            Simulation.Run run = sim.run(Strategies.of(name, world, workload), f -> progress.accept(name, f));
            seconds.add((System.nanoTime() - s0) / 1e9);
            runs.add(run);
            summaries.add(Summary.of(run, world, workload));
            progress.accept(name, 1.0);
        }
        List<String> roots = world.roots().stream().map(p -> world.popName[p]).toList();
        return new Result(scenario, world.nodes, world.targets, roots, workload.totalBytes(), workload.uniqueBytes(), (System.nanoTime() - t0) / 1e9,
                workloadSeconds, runs, summaries, seconds);
    }
}
