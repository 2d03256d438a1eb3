package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
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
    private static final double MIN_STEP = 0.001;
    /** With nothing in flight and no node left to start for this long of virtual time, the run ends. */
    private static final double STALL_SECONDS = 100;
    private static final int[] NO_LINKS = new int[0];


    /** Per-tier bytes at one moment, cumulative. */
    record Sample(double t, Map<Transfer.Tier, Long> bytes, int done) {}

    /**
     * What one strategy did, by node: only nodes with {@code target} set pull (the others cache for the tiers
     * below and have no start). {@code originByRoot} is, by POP index, the bytes from the origin that came in
     * through each root tier (zero for POPs that are not root tiers).
     */
    record Run(String strategy, boolean[] target, double[] start, double[] end, boolean[] failed, Map<Transfer.Tier, Long> bytes,
               long localBytesPerNode, long wastedBytes, List<Sample> timeline, double lastEnd, long[] originByRoot) {}

    private final World w;
    private final Workload workload;

    Simulation(World w, Workload workload) {
        this.w = w;
        this.workload = workload;
    }

    Run run(Strategy st, DoubleConsumer progress) {
        double[] start = Waves.startTimes(w);
        double[] end = new double[w.nodes];
        boolean[] failed = new boolean[w.nodes];
        java.util.Arrays.fill(end, Double.NaN);
        int[] active = new int[w.nodes];
        int concurrency = st.concurrency();
        double[] cap = w.baseCapacity.clone();
        FairShare fair = new FairShare();
        int[] count = new int[cap.length];
        int[][] routes = new int[0][];
        double[] rates = new double[0];
        List<Transfer> flows = new ArrayList<>();
        Map<Transfer.Tier, Long> bytes = new EnumMap<>(Transfer.Tier.class);
        for (Transfer.Tier t : Transfer.Tier.values()) {
            bytes.put(t, 0L);
        }
        List<Sample> timeline = new ArrayList<>();
        double[] tierBytes = new double[Transfer.Tier.values().length];
        double[] rootBytes = new double[w.pops];
        double[] finishing = new double[1024];
        double stalled = 0;
        Scenario.Faults faults = w.scenario.faults();
        boolean churned = faults.churn() <= 0;
        int done = 0;
        int finishedOrFailed = 0;
        int[] byStart = java.util.stream.IntStream.range(0, w.nodes).filter(i -> w.target[i]).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> start[i])).mapToInt(Integer::intValue).toArray();
        int nextToStart = 0;
        List<Integer> pulling = new ArrayList<>();
        double t = 0;
        double nextSample = 0;
        double lastEnd = 0;
        while (finishedOrFailed < w.targets && t < LIMIT_SECONDS) {
            applyFaults(cap, t);
            if (!churned && t >= faults.churnAt()) {
                churned = true;
                SplittableRandom rnd = new SplittableRandom(w.scenario.seed() + 7);
                for (int i = 0; i < w.nodes; i++) {
                    if (rnd.nextDouble() < faults.churn()) {
                        st.kill(i);
                        if (w.target[i] && Double.isNaN(end[i]) && !failed[i]) {
                            failed[i] = true;
                            finishedOrFailed++;
                        }
                    }
                }
                for (Transfer f : flows) {
                    if ((f.node >= 0 && st.dead[f.node]) || (f.source >= 0 && st.dead[f.source])) {
                        f.failed = true;
                    }
                }
            }
            while (nextToStart < byStart.length && start[byStart[nextToStart]] <= t) {
                pulling.add(byStart[nextToStart++]);
            }
            for (Iterator<Integer> it = pulling.iterator(); it.hasNext(); ) {
                int i = it.next();
                if (st.dead[i] || !Double.isNaN(end[i])) {
                    it.remove();
                    continue;
                }
                if (st.complete(i)) {
                    end[i] = t;
                    lastEnd = t;
                    done++;
                    finishedOrFailed++;
                    it.remove();
                    continue;
                }
                while (active[i] < concurrency) {
                    Transfer tr = st.next(i, t);
                    if (tr == null) {
                        break;
                    }
                    flows.add(tr);
                    if (tr.node >= 0) {
                        active[tr.node]++;
                    }
                }
            }
            for (Transfer tr : st.pushed) {
                flows.add(tr);
                if (tr.node >= 0) {
                    active[tr.node]++;
                }
            }
            st.pushed.clear();
            double step = Double.MAX_VALUE;
            if (finishing.length < flows.size()) {
                finishing = new double[flows.size() * 2];
            }
            if (routes.length < flows.size()) {
                routes = new int[flows.size() * 2][];
                rates = new double[flows.size() * 2];
            }
            for (int k = 0; k < flows.size(); k++) {
                routes[k] = flows.get(k).failed ? NO_LINKS : flows.get(k).links;
            }
            if (w.scenario.engine().maxMin()) {
                fair.rates(cap, routes, flows.size(), rates);
            } else {
                equalShares(cap, routes, flows.size(), count, rates);
            }
            int candidates = 0;
            for (int k = 0; k < flows.size(); k++) {
                Transfer f = flows.get(k);
                if (f.failed) {
                    step = 0;
                    continue;
                }
                double wait = Math.max(0, f.activeAt - t);
                double r = rates[k];
                f.rate = r;
                if (r > 0) {
                    finishing[candidates++] = wait + f.remaining / r;
                }
            }
            if (candidates > 0) {
                int k = Math.max(1, candidates / w.scenario.engine().batch());
                step = Math.min(step, kthSmallest(finishing, candidates, k));
            }
            double nextStart = nextToStart < byStart.length ? start[byStart[nextToStart]] : Double.MAX_VALUE;
            step = Math.min(step, Math.min(nextStart, nextFault(t, churned)) - t);
            if (step == Double.MAX_VALUE || step > LIMIT_SECONDS) {
                step = st.idleStep();
                if (flows.isEmpty() && nextToStart >= byStart.length && (stalled += step) > STALL_SECONDS) {
                    break;
                }
            } else {
                stalled = 0;
            }
            step = Math.max(step, MIN_STEP);
            t += step;
            List<Transfer> ended = new ArrayList<>();
            int keep = 0;
            for (int k = 0; k < flows.size(); k++) {
                Transfer f = flows.get(k);
                double moving = Math.min(step, t - f.activeAt);
                if (!f.failed && f.rate > 0 && moving > 0) {
                    double moved = Math.min(f.remaining, f.rate * moving);
                    f.remaining -= moved;
                    count(f, moved, tierBytes, rootBytes);
                }
                if (!f.failed && f.remaining <= 0.5) {
                    count(f, f.remaining, tierBytes, rootBytes);
                    f.remaining = 0;
                }
                if (f.failed || f.remaining <= 0) {
                    ended.add(f);
                } else {
                    flows.set(keep++, f);
                }
            }
            flows.subList(keep, flows.size()).clear();
            for (Transfer f : ended) {
                if (f.node >= 0) {
                    active[f.node]--;
                }
                st.finished(f, t, !f.failed);
            }
            for (Transfer.Tier tier : Transfer.Tier.values()) {
                bytes.put(tier, Math.round(tierBytes[tier.ordinal()]));
            }
            if (t >= nextSample) {
                timeline.add(new Sample(t, new EnumMap<>(bytes), done));
                nextSample = t + Math.max(0.5, t * 0.02);
                progress.accept((double) finishedOrFailed / w.targets);
            }
        }
        for (int i = 0; i < w.nodes; i++) {
            if (w.target[i] && Double.isNaN(end[i]) && !failed[i]) {
                failed[i] = true;
            }
        }
        timeline.add(new Sample(t, new EnumMap<>(bytes), done));
        long[] originByRoot = new long[w.pops];
        for (int p = 0; p < w.pops; p++) {
            originByRoot[p] = Math.round(rootBytes[p]);
        }
        return new Run(st.name(), w.target.clone(), start, end, failed, bytes, st.localBytes(workload), st.wastedBytes, timeline, lastEnd,
                originByRoot);
    }

    /**
     * Counts bytes a flow moved by tier, and origin bytes by the root tier they came in through: the root above
     * the receiving node's POP (or above the POP whose cache a flow fills, for {@code pop-cache}).
     */
    private void count(Transfer f, double moved, double[] tierBytes, double[] rootBytes) {
        tierBytes[f.tier.ordinal()] += moved;
        if (f.tier == Transfer.Tier.ORIGIN) {
            rootBytes[w.popRoot[f.node >= 0 ? w.pop[f.node] : -1 - f.node]] += moved;
        }
    }

    /** Each flow's rate as the smallest, over the links it crosses, of an equal share of the link. */
    private static void equalShares(double[] cap, int[][] routes, int flows, int[] count, double[] rates) {
        java.util.Arrays.fill(count, 0);
        for (int f = 0; f < flows; f++) {
            for (int l : routes[f]) {
                count[l]++;
            }
        }
        for (int f = 0; f < flows; f++) {
            double r = Double.MAX_VALUE;
            for (int l : routes[f]) {
                r = Math.min(r, cap[l] / count[l]);
            }
            rates[f] = r;
        }
    }

    /** Outages set a link's capacity to zero for their window. */
    private void applyFaults(double[] cap, double t) {
        Scenario.Faults f = w.scenario.faults();
        double origin = w.baseCapacity[w.originLink];
        if (f.originSlowdown().isPresent() && t >= f.originSlowdown().get()[0] && t < f.originSlowdown().get()[1]) {
            origin *= f.originSlowdown().get()[2];
        }
        cap[w.originLink] = f.originOutage().isPresent() && t >= f.originOutage().get()[0] && t < f.originOutage().get()[1] ? 0 : origin;
        int first = w.popUplink[0];
        cap[first] = f.popCut().isPresent() && t >= f.popCut().get()[0] && t < f.popCut().get()[1] ? 0 : w.baseCapacity[first];
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

    /** The next fault edge after {@code t}. */
    private double nextFault(double t, boolean churned) {
        double next = Double.MAX_VALUE;
        Scenario.Faults f = w.scenario.faults();
        for (var window : List.of(f.originOutage(), f.originSlowdown(), f.popCut())) {
            if (window.isPresent()) {
                for (int e = 0; e < 2; e++) {
                    double edge = window.get()[e];
                    if (edge > t) {
                        next = Math.min(next, edge);
                    }
                }
            }
        }
        if (!churned && f.churnAt() > t) {
            next = Math.min(next, f.churnAt());
        }
        return next;
    }
}
