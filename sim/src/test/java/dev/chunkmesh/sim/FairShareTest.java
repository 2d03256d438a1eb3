package dev.chunkmesh.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FairShareTest {
    private final FairShare fair = new FairShare();

    @Test
    void aFlowHeldBackElsewhereLeavesItsShareOfASharedLinkToTheOthers() {
        // link 0 (10) carries flows 0 and 1; flow 1 also crosses link 1 (2): equal shares would give flow 0 only 5
        double[] rates = new double[2];
        fair.rates(new double[] {10, 2}, new int[][] {{0}, {0, 1}}, 2, rates);
        assertArrayEquals(new double[] {8, 2}, rates, 1e-9);
    }

    @Test
    void flowsOnOneLinkShareItEquallyAndAFlowOnNoLinkIsUnbounded() {
        double[] rates = new double[4];
        fair.rates(new double[] {9}, new int[][] {{0}, {0}, {0}, {}}, 4, rates);
        assertArrayEquals(new double[] {3, 3, 3, Double.MAX_VALUE}, rates, 1e-9);
    }

    @Test
    void theClassicParkingLotGetsItsMaxMinRates() {
        // links 0 and 1 of capacity 1; flow 0 crosses both, flows 1 and 2 one each: all get 1/2
        double[] rates = new double[3];
        fair.rates(new double[] {1, 1}, new int[][] {{0, 1}, {0}, {1}}, 3, rates);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, rates, 1e-9);
        // with link 1 at 3, flow 2 takes what flow 0 cannot use there
        fair.rates(new double[] {1, 3}, new int[][] {{0, 1}, {0}, {1}}, 3, rates);
        assertArrayEquals(new double[] {0.5, 0.5, 2.5}, rates, 1e-9);
    }

    @Test
    void noLinkIsOverfilledAndEveryFlowIsHeldByAFullLinkOnRandomNetworks() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int nLinks = 1 + r.nextInt(20);
            int flows = 1 + r.nextInt(60);
            double[] cap = new double[nLinks];
            for (int l = 0; l < nLinks; l++) {
                cap[l] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(100);
            }
            int[][] links = new int[flows][];
            for (int f = 0; f < flows; f++) {
                links[f] = r.ints(0, nLinks).distinct().limit(1 + r.nextInt(Math.min(3, nLinks))).toArray();
            }
            double[] rates = new double[flows];
            fair.rates(cap, links, flows, rates);
            double[] load = new double[nLinks];
            for (int f = 0; f < flows; f++) {
                for (int l : links[f]) {
                    load[l] += rates[f];
                }
            }
            for (int l = 0; l < nLinks; l++) {
                assertTrue(load[l] <= cap[l] + 1e-6, "link " + l + " carries " + load[l] + " of " + cap[l]);
            }
            for (int f = 0; f < flows; f++) {
                boolean bottlenecked = false;
                for (int l : links[f]) {
                    double most = 0;
                    for (int g = 0; g < flows; g++) {
                        for (int m : links[g]) {
                            if (m == l) {
                                most = Math.max(most, rates[g]);
                            }
                        }
                    }
                    bottlenecked |= load[l] >= cap[l] - 1e-6 && rates[f] >= most - 1e-6;
                }
                assertTrue(bottlenecked, "flow " + f + " at " + rates[f] + " has a full link where it is among the fastest");
            }
        }
    }
}
