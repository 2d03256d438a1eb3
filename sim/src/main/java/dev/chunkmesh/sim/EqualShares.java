package dev.chunkmesh.sim;

import java.util.Arrays;

/**
 * Each flow's rate as the smallest, over the links it crosses, of an equal share of the link: the
 * simulator's default link model. Only the links the flows cross are touched, not every link of the
 * fleet each step. Not thread-safe: one per run.
 */
final class EqualShares {
    private final int[] count;
    private final double[] share;
    private int[] touched = new int[64];

    /** For a fleet of {@code links} links. */
    EqualShares(int links) {
        this.count = new int[links];
        this.share = new double[links];
    }

    /** Sets {@code rates[f]} for the first {@code flows} flows, flow {@code f} crossing {@code routes[f]}. */
    void rates(double[] cap, int[][] routes, int flows, double[] rates) {
        int used = 0;
        for (int f = 0; f < flows; f++) {
            for (int l : routes[f]) {
                if (count[l]++ == 0) {
                    if (used == touched.length) {
                        touched = Arrays.copyOf(touched, used * 2);
                    }
                    touched[used++] = l;
                }
            }
        }
        for (int k = 0; k < used; k++) {
            int l = touched[k];
            share[l] = cap[l] / count[l];
            count[l] = 0;
        }
        for (int f = 0; f < flows; f++) {
            double r = Double.MAX_VALUE;
            for (int l : routes[f]) {
                r = Math.min(r, share[l]);
            }
            rates[f] = r;
        }
    }
}
