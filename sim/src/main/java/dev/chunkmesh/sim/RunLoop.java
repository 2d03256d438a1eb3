package dev.chunkmesh.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * One strategy's run of a {@link Simulation} in progress: the state its loop keeps, and each turn of the
 * loop in named steps (faults, churn, starting pulls, the step length, moving bytes, sampling).
 */
final class RunLoop {
    /** What {@link #nextStep} returns when nothing is in flight and nothing is left to start for too long. */
    private static final double STALLED = -1;

    private final World w;
    private final Workload workload;
    private final Strategy st;
    private final int concurrency;
    private final DoubleConsumer progress;
    private final Scenario.Faults faults;
    private final double[] start;
    private final double[] end;
    private final boolean[] failed;
    private final int[] active;
    private final double[] cap;
    private final FairShare fair = new FairShare();
    private final EqualShares equal;
    private final List<Transfer> flows = new ArrayList<>();
    private final Map<Transfer.From, Long> bytes = new EnumMap<>(Transfer.From.class);
    private final List<Simulation.Sample> timeline = new ArrayList<>();
    private final double[] fromBytes = new double[Transfer.From.values().length];
    private final double[] rootBytes;
    /** The pulling nodes by start time, and how many of them have started. */
    private final int[] byStart;
    private int nextToStart;
    private final List<Integer> pulling = new ArrayList<>();
    private int[][] routes = new int[0][];
    private double[] rates = new double[0];
    private double[] finishing = new double[1024];
    private double stalled;
    private boolean churned;
    private int done;
    private int finishedOrFailed;
    private double t;
    private double nextSample;
    private double lastEnd;

    RunLoop(World w, Workload workload, Strategy st, DoubleConsumer progress) {
        this.w = w;
        this.workload = workload;
        this.st = st;
        this.concurrency = st.concurrency();
        this.progress = progress;
        this.faults = w.scenario.faults();
        this.start = Waves.startTimes(w);
        this.end = new double[w.nodes];
        this.failed = new boolean[w.nodes];
        Arrays.fill(end, Double.NaN);
        this.active = new int[w.nodes];
        this.cap = w.baseCapacity.clone();
        this.equal = new EqualShares(cap.length);
        for (Transfer.From from : Transfer.From.values()) {
            bytes.put(from, 0L);
        }
        this.rootBytes = new double[w.pops];
        this.churned = faults.churn() <= 0;
        this.byStart = IntStream.range(0, w.nodes).filter(i -> w.target[i]).boxed()
                .sorted(Comparator.comparingDouble(i -> start[i])).mapToInt(Integer::intValue).toArray();
    }

    /** Runs until every pulling node finished or failed, the time limit, or a stall. */
    Simulation.Run run() {
        while (finishedOrFailed < w.targets && t < Simulation.LIMIT_SECONDS) {
            applyFaults();
            churnIfDue();
            startAndFeedPulls();
            takePushed();
            double step = nextStep();
            if (step == STALLED) {
                break;
            }
            t += step;
            moveBytes(step);
            sample();
        }
        return result();
    }

    /** Outages set a link's capacity to zero for their window. */
    private void applyFaults() {
        double origin = w.baseCapacity[w.originLink];
        if (faults.originSlowdown().isPresent() && t >= faults.originSlowdown().get()[0] && t < faults.originSlowdown().get()[1]) {
            origin *= faults.originSlowdown().get()[2];
        }
        cap[w.originLink] = faults.originOutage().isPresent() && t >= faults.originOutage().get()[0] && t < faults.originOutage().get()[1]
                ? 0 : origin;
        int first = w.popUplink[0];
        cap[first] = faults.popCut().isPresent() && t >= faults.popCut().get()[0] && t < faults.popCut().get()[1] ? 0 : w.baseCapacity[first];
    }

    /** At the churn moment, kills each node with the churn probability: its pull fails, and so do transfers to or from it. */
    private void churnIfDue() {
        if (churned || !(t >= faults.churnAt())) {
            return;
        }
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

    /** Starts the pulls whose time has come, marks complete ones done, and gives the others transfers up to the concurrency. */
    private void startAndFeedPulls() {
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
                add(tr);
            }
        }
    }

    /** The transfers the strategy started on its own (pushes, cache fills). */
    private void takePushed() {
        for (Transfer tr : st.pushed) {
            add(tr);
        }
        st.pushed.clear();
    }

    private void add(Transfer tr) {
        flows.add(tr);
        if (tr.node >= 0) {
            active[tr.node]++;
        }
    }

    /**
     * Sets each flow's rate and returns how far time moves: to about the {@code engine.batch}-th finish, the
     * next start or fault edge, or an idle step; {@link #STALLED} when the run has stalled.
     */
    private double nextStep() {
        double step = Double.MAX_VALUE;
        if (finishing.length < flows.size()) {
            finishing = new double[flows.size() * 2];
        }
        if (routes.length < flows.size()) {
            routes = new int[flows.size() * 2][];
            rates = new double[flows.size() * 2];
        }
        for (int k = 0; k < flows.size(); k++) {
            routes[k] = flows.get(k).failed ? Simulation.NO_LINKS : flows.get(k).links;
        }
        if (w.scenario.engine().maxMin()) {
            fair.rates(cap, routes, flows.size(), rates);
        } else {
            equal.rates(cap, routes, flows.size(), rates);
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
            step = Math.min(step, Simulation.kthSmallest(finishing, candidates, k));
        }
        double nextStart = nextToStart < byStart.length ? start[byStart[nextToStart]] : Double.MAX_VALUE;
        step = Math.min(step, Math.min(nextStart, nextFault()) - t);
        if (step == Double.MAX_VALUE || step > Simulation.LIMIT_SECONDS) {
            step = st.idleStep();
            if (flows.isEmpty() && nextToStart >= byStart.length && (stalled += step) > Simulation.STALL_SECONDS) {
                return STALLED;
            }
        } else {
            stalled = 0;
        }
        return Math.max(step, Simulation.MIN_STEP);
    }

    /** The next fault edge after now. */
    private double nextFault() {
        double next = Double.MAX_VALUE;
        for (var window : List.of(faults.originOutage(), faults.originSlowdown(), faults.popCut())) {
            if (window.isPresent()) {
                for (int e = 0; e < 2; e++) {
                    double edge = window.get()[e];
                    if (edge > t) {
                        next = Math.min(next, edge);
                    }
                }
            }
        }
        if (!churned && faults.churnAt() > t) {
            next = Math.min(next, faults.churnAt());
        }
        return next;
    }

    /** Moves each flow's bytes over the step that just ended, and tells the strategy of the flows that ended. */
    private void moveBytes(double step) {
        List<Transfer> ended = new ArrayList<>();
        int keep = 0;
        for (int k = 0; k < flows.size(); k++) {
            Transfer f = flows.get(k);
            double moving = Math.min(step, t - f.activeAt);
            if (!f.failed && f.rate > 0 && moving > 0) {
                double moved = Math.min(f.remaining, f.rate * moving);
                f.remaining -= moved;
                count(f, moved);
            }
            if (!f.failed && f.remaining <= 0.5) {
                count(f, f.remaining);
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
        for (Transfer.From from : Transfer.From.values()) {
            bytes.put(from, Math.round(fromBytes[from.ordinal()]));
        }
    }

    /**
     * Counts bytes a flow moved by where they came from, and origin bytes by the root tier they came in through:
     * the root above the receiving node's POP (or above the POP whose cache a flow fills, for {@code pop-cache}).
     */
    private void count(Transfer f, double moved) {
        fromBytes[f.from.ordinal()] += moved;
        if (f.from == Transfer.From.ORIGIN) {
            rootBytes[w.popRoot[f.node >= 0 ? w.pop[f.node] : -1 - f.node]] += moved;
        }
    }

    /** Adds a sample to the timeline when one is due, and reports progress. */
    private void sample() {
        if (t >= nextSample) {
            timeline.add(new Simulation.Sample(t, new EnumMap<>(bytes), done));
            nextSample = t + Math.max(0.5, t * 0.02);
            progress.accept((double) finishedOrFailed / w.targets);
        }
    }

    /** The run as it ended: unfinished pulls count as failed. */
    private Simulation.Run result() {
        for (int i = 0; i < w.nodes; i++) {
            if (w.target[i] && Double.isNaN(end[i]) && !failed[i]) {
                failed[i] = true;
            }
        }
        timeline.add(new Simulation.Sample(t, new EnumMap<>(bytes), done));
        long[] originByRoot = new long[w.pops];
        for (int p = 0; p < w.pops; p++) {
            originByRoot[p] = Math.round(rootBytes[p]);
        }
        return new Simulation.Run(st.name(), w.target.clone(), start, end, failed, bytes, st.localBytes(workload), st.wastedBytes, timeline,
                lastEnd, originByRoot);
    }
}
