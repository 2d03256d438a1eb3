package dev.chunkmesh.node.origin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BandwidthTest {

    @Test
    void holdsTheAverageToTheLimitAfterTheBurst() throws Exception {
        Bandwidth b = new Bandwidth(4_000_000, 100_000);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            b.take(50_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.2, "1 MB at 4 MB/s with a 100 kB burst takes at least 0.225 s, took " + seconds);
    }

    @Test
    void unlimitedNeverWaits() throws Exception {
        Bandwidth b = Bandwidth.unlimited();
        long start = System.nanoTime();
        b.take(Long.MAX_VALUE / 2);
        assertTrue(System.nanoTime() - start < 50_000_000L);
    }
}
