package dev.chunkmesh.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one strategy's run that {@code summary.json} reports. */
public record Summary(String strategy, long originBytes, long uniqueBytes, double p50, double p95, double p99, double boundSeconds,
               Map<String, Long> bytesByTier, int failedPulls, double lastPullEnd) {

    static Summary of(Simulation.Run r, World w, Workload wl) {
        double[] times = new double[w.nodes];
        int n = 0;
        int failed = 0;
        for (int i = 0; i < w.nodes; i++) {
            if (r.failed()[i]) {
                failed++;
            } else {
                times[n++] = r.end()[i] - r.start()[i];
            }
        }
        double[] sorted = Arrays.copyOf(times, n);
        Arrays.sort(sorted);
        Map<String, Long> tiers = new LinkedHashMap<>();
        tiers.put("local", r.localBytesPerNode() * (long) w.nodes);
        tiers.put("peer", r.bytes().get(Transfer.Tier.PEER));
        tiers.put("parent", r.bytes().get(Transfer.Tier.PARENT));
        tiers.put("other-pop", r.bytes().get(Transfer.Tier.OTHER_POP));
        tiers.put("cache", r.bytes().get(Transfer.Tier.CACHE));
        tiers.put("origin", r.bytes().get(Transfer.Tier.ORIGIN));
        return new Summary(r.strategy(), r.bytes().get(Transfer.Tier.ORIGIN), wl.uniqueBytes(), pct(sorted, 0.50), pct(sorted, 0.95),
                pct(sorted, 0.99), bound(w, wl), tiers, failed, r.lastEnd());
    }

    /**
     * A lower bound on the time for every node to hold the release: the unique bytes through the
     * origin's link, and each node's needed bytes through its own downlink, whichever is longer.
     */
    static double bound(World w, Workload wl) {
        double unique = wl.uniqueBytes();
        double slowestDown = Double.MAX_VALUE;
        for (int i = 0; i < w.nodes; i++) {
            slowestDown = Math.min(slowestDown, w.baseCapacity[w.downLink[i]]);
        }
        return Math.max(unique / w.baseCapacity[w.originLink], unique / slowestDown);
    }

    private static double pct(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
