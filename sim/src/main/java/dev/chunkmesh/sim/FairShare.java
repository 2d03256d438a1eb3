package dev.chunkmesh.sim;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Max-min fair rates for flows over capacitated links, by progressive filling: all rates rise
 * together; when a link fills, the flows crossing it are frozen at its fair share and the rest keep
 * rising. No link carries more than its capacity, and no flow could go faster without slowing one
 * that is no faster than it (what TCP flows sharing bottlenecks approach). A flow that crosses no
 * link gets {@link Double#MAX_VALUE}. Reuses its arrays between calls; not thread-safe.
 */
final class FairShare {
    private double[] left = new double[0];
    private int[] open = new int[0];
    private int[] version = new int[0];
    private int[] start = new int[0];
    private int[] members = new int[0];
    private boolean[] frozen = new boolean[0];

    private record Key(double share, int link, int version) {}

    /**
     * Sets {@code rates[f]} for each flow {@code f} from {@code 0} to {@code flows - 1}, which crosses the
     * links {@code links[f]} (each link at most once), where link {@code l} carries {@code capacity[l]}.
     */
    void rates(double[] capacity, int[][] links, int flows, double[] rates) {
        int nLinks = capacity.length;
        if (left.length < nLinks) {
            left = new double[nLinks];
            open = new int[nLinks];
            version = new int[nLinks];
            start = new int[nLinks + 1];
        }
        Arrays.fill(open, 0, nLinks, 0);
        Arrays.fill(version, 0, nLinks, 0);
        int total = 0;
        for (int f = 0; f < flows; f++) {
            for (int l : links[f]) {
                open[l]++;
            }
            total += links[f].length;
        }
        if (members.length < total) {
            members = new int[total * 2];
        }
        if (frozen.length < flows) {
            frozen = new boolean[flows * 2];
        }
        Arrays.fill(frozen, 0, flows, false);
        start[0] = 0;
        for (int l = 0; l < nLinks; l++) {
            start[l + 1] = start[l] + open[l];
        }
        int[] fill = Arrays.copyOf(start, nLinks);
        for (int f = 0; f < flows; f++) {
            for (int l : links[f]) {
                members[fill[l]++] = f;
            }
        }
        PriorityQueue<Key> queue = new PriorityQueue<>((a, b) -> Double.compare(a.share(), b.share()));
        for (int l = 0; l < nLinks; l++) {
            left[l] = Math.max(0, capacity[l]);
            if (open[l] > 0) {
                queue.add(new Key(left[l] / open[l], l, 0));
            }
        }
        for (int f = 0; f < flows; f++) {
            rates[f] = Double.MAX_VALUE;
        }
        while (!queue.isEmpty()) {
            Key k = queue.poll();
            int l = k.link();
            if (k.version() != version[l] || open[l] == 0) {
                continue;
            }
            double share = Math.max(0, left[l] / open[l]);
            for (int m = start[l]; m < start[l + 1]; m++) {
                int f = members[m];
                if (frozen[f]) {
                    continue;
                }
                frozen[f] = true;
                rates[f] = share;
                for (int other : links[f]) {
                    left[other] = Math.max(0, left[other] - share);
                    open[other]--;
                    if (other != l && open[other] > 0) {
                        queue.add(new Key(left[other] / open[other], other, ++version[other]));
                    }
                }
            }
        }
    }
}
