package dev.chunkmesh.cli.bench;

import java.util.Arrays;

/** Timing helpers for bench commands. */
final class Stopwatch {
    private Stopwatch() {
    }

    interface Work {
        void run() throws Exception;
    }

    /** Seconds {@code work} took. */
    static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
