package dev.chunkmesh.sim;

import java.util.SplittableRandom;

/** When each node starts pulling under a scenario's rollout: its wave, less the prefetch lead. */
final class Waves {
    private Waves() {
    }

    /**
     * Start times in seconds by node, for nodes that pull; nodes of cache-only POPs get {@code NaN}. Nodes are
     * placed in waves in a seeded random order, so the same scenario gives the same waves; {@code by-pop}
     * starts the POPs and micro-hubs that pull one interval apart, in their order, skipping cache-only POPs.
     */
    static double[] startTimes(World w) {
        Scenario.Rollout r = w.scenario.rollout();
        double[] start = new double[w.nodes];
        int[] order = new int[w.targets];
        for (int i = 0, k = 0; i < w.nodes; i++) {
            if (w.target[i]) {
                order[k++] = i;
            } else {
                start[i] = Double.NaN;
            }
        }
        int[] wave = new int[w.pops];
        for (int p = 0, k = 0; p < w.pops; p++) {
            wave[p] = k;
            k += w.popMembers.get(p).stream().anyMatch(i -> w.target[i]) ? 1 : 0;
        }
        SplittableRandom rnd = new SplittableRandom(w.scenario.seed());
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            start[i] = switch (r.mode()) {
                case "all" -> 0;
                case "by-pop" -> wave[w.pop[i]] * r.interval();
                case "percent" -> {
                    double share = (k + 1.0) / order.length;
                    int step = 0;
                    while (step < r.steps().size() - 1 && share > r.steps().get(step) + 1e-9) {
                        step++;
                    }
                    yield step * r.interval();
                }
                default -> throw new IllegalArgumentException("unknown rollout mode '" + r.mode() + "' (all, by-pop, percent)");
            };
            start[i] = Math.max(0, start[i] - r.prefetchLead());
        }
        return start;
    }
}
