package dev.chunkmesh.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes what a simulation found into a folder: {@code summary.json}, {@code pulls.csv} (every pulling
 * node's pull), {@code tiers.csv} (bytes by tier over time), five PNG charts (one of them the origin bytes
 * per root tier), and {@code report.md} that embeds them.
 */
public final class Report {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Report() {
    }

    public static void write(FleetSim.Result r, Path out) throws IOException {
        Files.createDirectories(out);
        writeSummary(r, out.resolve("summary.json"));
        writeCsv(r, out);
        charts(r, out);
        writeMarkdown(r, out.resolve("report.md"));
    }

    static void writeSummary(FleetSim.Result r, Path file) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("scenario", r.scenario().name());
        root.put("nodes", r.nodes());
        root.put("target_nodes", r.targetNodes());
        root.putPOJO("root_tiers", r.roots());
        root.put("wall_s", r.wallSeconds());
        root.put("release_bytes", r.releaseBytes());
        ObjectNode strategies = root.putObject("strategies");
        for (Summary s : r.summaries()) {
            ObjectNode o = strategies.putObject(s.strategy());
            o.put("origin_bytes", s.originBytes());
            o.put("unique_bytes", s.uniqueBytes());
            o.put("pull_p50_s", s.p50());
            o.put("pull_p95_s", s.p95());
            o.put("pull_p99_s", s.p99());
            o.put("pull_p999_s", s.p999());
            o.put("bound_s", s.boundSeconds());
            o.put("last_pull_end_s", s.lastPullEnd());
            ObjectNode tiers = o.putObject("bytes_by_tier");
            s.bytesByTier().forEach(tiers::put);
            ObjectNode roots = o.putObject("origin_bytes_by_root");
            s.originBytesByRoot().forEach(roots::put);
            o.put("origin_max_per_root_x_unique", s.maxPerRootOverUnique());
            o.put("failed_pulls", s.failedPulls());
            o.put("wall_s", r.strategySeconds().get(r.summaries().indexOf(s)));
        }
        root.put("workload_wall_s", r.workloadSeconds());
        om.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static void writeCsv(FleetSim.Result r, Path out) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("pulls.csv")))) {
            w.println("strategy,node,start_s,end_s,seconds,failed");
            for (Simulation.Run run : r.runs()) {
                for (int i = 0; i < run.start().length; i++) {
                    if (!run.target()[i]) {
                        continue;
                    }
                    double end = run.end()[i];
                    w.printf(Locale.ROOT, "%s,n%d,%.3f,%s,%s,%b%n", run.strategy(), i, run.start()[i], Double.isNaN(end) ? "" : String.format(Locale.ROOT,
                            "%.3f", end), Double.isNaN(end) ? "" : String.format(Locale.ROOT, "%.3f", end - run.start()[i]), run.failed()[i]);
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("tiers.csv")))) {
            w.println("strategy,t_s,peer,parent,upper,other_pop,cache,origin,nodes_done");
            for (Simulation.Run run : r.runs()) {
                for (Simulation.Sample s : run.timeline()) {
                    w.printf(Locale.ROOT, "%s,%.3f,%d,%d,%d,%d,%d,%d,%d%n", run.strategy(), s.t(), s.bytes().get(Transfer.From.PEER),
                            s.bytes().get(Transfer.From.PARENT), s.bytes().get(Transfer.From.UPPER), s.bytes().get(Transfer.From.OTHER_POP), s.bytes().get(Transfer.From.CACHE),
                            s.bytes().get(Transfer.From.ORIGIN), s.done());
                }
            }
        }
    }

    private static void charts(FleetSim.Result r, Path out) throws IOException {
        List<Charts.Series> cdf = new ArrayList<>();
        List<Charts.Series> timeline = new ArrayList<>();
        for (Simulation.Run run : r.runs()) {
            double[] t = new double[run.start().length];
            int n = 0;
            for (int i = 0; i < t.length; i++) {
                if (run.target()[i] && !run.failed()[i]) {
                    t[n++] = run.end()[i] - run.start()[i];
                }
            }
            double[] sorted = Arrays.copyOf(t, n);
            Arrays.sort(sorted);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = (i + 1.0) / r.targetNodes();
            }
            cdf.add(new Charts.Series(run.strategy(), sorted, y));
            double[] ts = run.timeline().stream().mapToDouble(Simulation.Sample::t).toArray();
            double[] done = run.timeline().stream().mapToDouble(s -> 100.0 * s.done() / r.targetNodes()).toArray();
            timeline.add(new Charts.Series(run.strategy(), ts, done));
        }
        Charts.lines(out.resolve("pull-time-cdf.png"), "Pull time per node (" + r.scenario().name() + ")", "seconds", "share of nodes done",
                cdf, true);
        Charts.lines(out.resolve("release-timeline.png"), "Release timeline: nodes holding the release", "seconds since the rollout began",
                "% of nodes", timeline, false);
        List<String> names = r.summaries().stream().map(Summary::strategy).toList();
        double[] egress = r.summaries().stream().mapToDouble(s -> s.originBytes() / GIB).toArray();
        Charts.bars(out.resolve("origin-egress.png"), "Origin egress per strategy (unique: " + Charts.num(r.uniqueBytes() / GIB) + " GiB)",
                "GiB from the origin", names, egress);
        Simulation.Run focus = r.runs().stream().filter(x -> x.strategy().equals("mesh")).findFirst().orElse(r.runs().get(0));
        List<Charts.Series> tiers = new ArrayList<>();
        double[] ts = focus.timeline().stream().mapToDouble(Simulation.Sample::t).toArray();
        for (Transfer.From from : Transfer.From.values()) {
            double[] v = focus.timeline().stream().mapToDouble(s -> s.bytes().get(from) / GIB).toArray();
            if (v.length > 0 && v[v.length - 1] > 0) {
                tiers.add(new Charts.Series(from.name().toLowerCase(Locale.ROOT).replace('_', '-'), ts, v));
            }
        }
        Charts.lines(out.resolve("bytes-by-tier.png"), "Bytes by tier over time (" + focus.strategy() + ")", "seconds", "GiB, cumulative",
                tiers, false);
        Summary focusSummary = r.summaries().get(r.runs().indexOf(focus));
        Charts.bars(out.resolve("origin-by-root.png"), "Origin bytes per root tier (" + focus.strategy() + "; unique: "
                + Charts.num(r.uniqueBytes() / GIB) + " GiB)", "GiB from the origin", List.copyOf(focusSummary.originBytesByRoot().keySet()),
                focusSummary.originBytesByRoot().values().stream().mapToDouble(v -> v / GIB).toArray());
    }

    /** The names, or the first three and the last when there are more than five. */
    private static String abbreviated(List<String> names) {
        if (names.size() <= 5) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 3)) + ", ... " + names.get(names.size() - 1);
    }

    private static void writeMarkdown(FleetSim.Result r, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        Scenario s = r.scenario();
        b.append("# Simulation: ").append(s.name()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%d nodes in %d POPs and %d micro-hubs, %d of them pulling; a release of %.2f GiB (%.2f GiB of new "
                + "content); rollout `%s`; seed %d; simulated in %.1f s of wall time.%n%n", r.nodes(), s.pops().stream()
                .mapToInt(Scenario.PopGroup::count).sum(), s.hubs().stream().mapToInt(Scenario.HubGroup::count).sum(), r.targetNodes(),
                r.releaseBytes() / GIB, r.uniqueBytes() / GIB, s.rollout().mode(), s.seed(), r.wallSeconds()));
        b.append(String.format(Locale.ROOT, "Root tiers (the POPs that take bytes from the origin themselves): %d, %s. An ideal system takes "
                + "each unique byte from the origin once per root tier: %.2f GiB in all.%n%n", r.roots().size(), abbreviated(r.roots()),
                r.roots().size() * r.uniqueBytes() / GIB));
        b.append("| strategy | origin GiB | x unique | most by one root tier, x unique | p50 s | p95 s | p99 s | p99.9 s | bound s | failed |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Summary x : r.summaries()) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n", x.strategy(), x.originBytes() / GIB,
                    r.uniqueBytes() == 0 ? 0 : (double) x.originBytes() / r.uniqueBytes(), x.maxPerRootOverUnique(), x.p50(), x.p95(), x.p99(),
                    x.p999(), x.boundSeconds(), x.failedPulls()));
        }
        b.append("\n![pull time CDF](pull-time-cdf.png)\n\n![origin egress](origin-egress.png)\n\n![origin bytes per root tier](origin-by-root.png)\n\n")
                .append("![release timeline](release-timeline.png)\n\n![bytes by tier](bytes-by-tier.png)\n\n");
        b.append("The model: transfers are fluid flows that get an equal share of every link they cross (node up and down links, POP ")
                .append("uplinks, the origin's link) and move at the smallest share; each node keeps ").append(s.engine().concurrency())
                .append(" transfers in flight. The mesh cuts new chunks (found by the real FastCDC chunker) into spans of up to ")
                .append(s.engine().spanBytes() >> 20).append(" MiB and plans them with the nodes' own planner. The bound is the unique ")
                .append("bytes through the origin's link or the slowest node's downlink, whichever is longer. Data: `summary.json`, ")
                .append("`pulls.csv`, `tiers.csv`.\n");
        Files.writeString(file, b.toString());
    }
}
