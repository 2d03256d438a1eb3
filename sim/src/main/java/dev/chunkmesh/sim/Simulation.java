package dev.chunkmesh.sim;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Runs one strategy over a scenario in virtual time. Transfers are fluid flows: each gets, on every
 * link it crosses, an equal share of the link's capacity, and moves at the smallest of those shares; or,
 * with {@code engine.sharing: max-min}, links are shared max-min fairly ({@link FairShare}). During its
 * start latency a transfer already holds its share but moves nothing (a small pessimism).
 * Time jumps to the next wave, fault edge or transfer start (by the strategy's {@link Strategy#idleStep()}
 * when nothing is in flight), or to the moment about one in
 * {@code engine.batch} transfers in flight has finished (never less than a millisecond): transfers that
 * finish within such a step count as finished at its end, which bounds how late one can be reported.
 * Deterministic for a given scenario and seed.
 */
final class Simulation {
    /** Virtual time after which unfinished pulls count as failed. */
    static final double LIMIT_SECONDS = 48 * 3600;
    static final double MIN_STEP = 0.001;
    /** With nothing in flight and no node left to start for this long of virtual time, the run ends. */
    static final double STALL_SECONDS = 100;
    static final int[] NO_LINKS = new int[0];

    /** Bytes by where they came from at one moment, cumulative. */
    record Sample(double t, Map<Transfer.From, Long> bytes, int done) {}

    /**
     * What one strategy did, by node: only nodes with {@code target} set pull (the others cache for the tiers
     * below and have no start). {@code originByRoot} is, by POP index, the bytes from the origin that came in
     * through each root tier (zero for POPs that are not root tiers).
     */
    record Run(String strategy, boolean[] target, double[] start, double[] end, boolean[] failed, Map<Transfer.From, Long> bytes,
               long localBytesPerNode, long wastedBytes, List<Sample> timeline, double lastEnd, long[] originByRoot) {}

    private final World w;
    private final Workload workload;

    Simulation(World w, Workload workload) {
        this.w = w;
        this.workload = workload;
    }

    /** Runs {@code st} to its end ({@link RunLoop}), telling {@code progress} the fraction of pulls finished or failed. */
    Run run(Strategy st, DoubleConsumer progress) {
        return new RunLoop(w, workload, st, progress).run();
    }

    /** The k-th smallest of the first {@code n} values (1-based), reordering them. */
    static double kthSmallest(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        int target = k - 1;
        SplittableRandom rnd = new SplittableRandom(n);
        while (lo < hi) {
            double pivot = a[lo + rnd.nextInt(hi - lo + 1)];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double x = a[i];
                    a[i] = a[j];
                    a[j] = x;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }
}
