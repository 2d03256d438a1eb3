package dev.chunkmesh.sim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one strategy's run that {@code summary.json} reports. Pull times and failures count the
 * nodes that pull (not those of cache-only POPs).
 *
 * @param originBytesByRoot bytes from the origin by the root tier they came in through (every POP without an
 *     upper tier, in POP order; a micro-hub's bytes count for its parent's root)
 */
public record Summary(String strategy, long originBytes, long uniqueBytes, double p50, double p95, double p99, double p999, double boundSeconds,
               Map<String, Long> bytesByTier, int failedPulls, double lastPullEnd, Map<String, Long> originBytesByRoot) {

    public Summary {
        bytesByTier = Collections.unmodifiableMap(new LinkedHashMap<>(bytesByTier));
        originBytesByRoot = Collections.unmodifiableMap(new LinkedHashMap<>(originBytesByRoot));
    }

    /** The most origin bytes any one root tier took, in units of the release's unique bytes (1.0: each byte once). */
    public double maxPerRootOverUnique() {
        long max = originBytesByRoot.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return uniqueBytes == 0 ? 0 : (double) max / uniqueBytes;
    }

    static Summary of(Simulation.Run r, World w, Workload wl) {
        double[] times = new double[w.nodes];
        int n = 0;
        int failed = 0;
        for (int i = 0; i < w.nodes; i++) {
            if (!w.target[i]) {
                continue;
            }
            if (r.failed()[i]) {
                failed++;
            } else {
                times[n++] = r.end()[i] - r.start()[i];
            }
        }
        double[] sorted = Arrays.copyOf(times, n);
        Arrays.sort(sorted);
        Map<String, Long> tiers = new LinkedHashMap<>();
        tiers.put("local", r.localBytesPerNode() * (long) w.targets);
        tiers.put("peer", r.bytes().get(Transfer.From.PEER));
        tiers.put("parent", r.bytes().get(Transfer.From.PARENT));
        tiers.put("upper", r.bytes().get(Transfer.From.UPPER));
        tiers.put("other-pop", r.bytes().get(Transfer.From.OTHER_POP));
        tiers.put("cache", r.bytes().get(Transfer.From.CACHE));
        tiers.put("origin", r.bytes().get(Transfer.From.ORIGIN));
        return new Summary(r.strategy(), r.bytes().get(Transfer.From.ORIGIN), wl.uniqueBytes(), pct(sorted, 0.50), pct(sorted, 0.95),
                pct(sorted, 0.99), pct(sorted, 0.999), bound(w, wl), tiers, failed, r.lastEnd(), byRoot(r, w));
    }

    private static Map<String, Long> byRoot(Simulation.Run r, World w) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int p : w.roots()) {
            out.put(w.popName[p], r.originByRoot()[p]);
        }
        return out;
    }

    /**
     * A lower bound on the time for every node to hold the release at its configured rates: the unique bytes through
     * the origin's link, and each node's needed bytes through its configured downlink, whichever is longer. Per-host
     * noise ({@link Scenario.PopGroup#spread}) is left out: a slowed host takes longer than this.
     */
    static double bound(World w, Workload wl) {
        double unique = wl.uniqueBytes();
        double slowestDown = Double.MAX_VALUE;
        for (int i = 0; i < w.nodes; i++) {
            if (w.target[i]) {
                slowestDown = Math.min(slowestDown, w.nominalDown[i]);
            }
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
