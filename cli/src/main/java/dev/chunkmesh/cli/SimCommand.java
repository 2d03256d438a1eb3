package dev.chunkmesh.cli;

import dev.chunkmesh.sim.FleetSim;
import dev.chunkmesh.sim.Report;
import dev.chunkmesh.sim.Scenario;
import dev.chunkmesh.sim.ScenarioLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh sim run}: the fleet simulator. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "The fleet simulator.", subcommands = {SimCommand.Run.class})
final class SimCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Simulate a rollout with every strategy side by side and write summary.json, CSVs, charts and report.md.",
                    "Built-in scenarios: kraken-2600, fleet-2000, fleet-2000-regions, fleet-10k, fleet-10k-regions, delta, origin-outage, small, tiers."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--scenario", required = true, paramLabel = "FILE_OR_NAME", description = "A scenario YAML file or a built-in name.")
        String scenario;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the results go.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Scenario s = ScenarioLoader.load(scenario);
            FleetSim.Result r;
            try (ProgressBar bar = Progress.count("sim " + s.name(), (long) s.strategies().size() * 1000)) {
                int[] index = {0};
                String[] current = {""};
                r = FleetSim.run(s, (strategy, fraction) -> {
                    if (!strategy.equals(current[0])) {
                        current[0] = strategy;
                        index[0] = s.strategies().indexOf(strategy);
                    }
                    bar.setExtraMessage(" " + strategy);
                    bar.stepTo(index[0] * 1000L + Math.round(fraction * 1000));
                });
            }
            Report.write(r, out);
            System.out.printf(Locale.ROOT, "%s: %d nodes (%d pulling), %d root tiers, %.2f GiB release, simulated in %.1f s%n", s.name(), r.nodes(),
                    r.targetNodes(), r.roots().size(), r.releaseBytes() / 1073741824.0, r.wallSeconds());
            System.out.printf("%-10s %12s %11s %8s %8s %8s %8s %8s %7s%n", "STRATEGY", "ORIGIN GiB", "ROOT MAX x", "P50 s", "P95 s", "P99 s", "P99.9 s",
                    "BOUND s", "FAILED");
            for (var x : r.summaries()) {
                System.out.printf(Locale.ROOT, "%-10s %12.2f %11.2f %8.2f %8.2f %8.2f %8.2f %8.2f %7d%n", x.strategy(),
                        x.originBytes() / 1073741824.0, x.maxPerRootOverUnique(), x.p50(), x.p95(), x.p99(), x.p999(), x.boundSeconds(),
                        x.failedPulls());
            }
            System.out.println("ROOT MAX x: the most origin bytes one root tier took, in release-unique bytes (1.00: each byte once per root)");
            System.out.println("report: " + out.resolve("report.md"));
            return 0;
        }
    }
}
