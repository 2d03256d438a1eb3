package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The least-work relay's copies in {@code bench pull}: on loopback, one copy of each round's image through
 * a {@link FloorRelay} in each of its modes, right after the direct copy, and the rows and lines they give.
 */
final class FloorRounds implements AutoCloseable {
    /** One timed skopeo copy of an image from a registry into a folder; returns seconds. */
    @FunctionalInterface
    interface Copy {
        double seconds(String authority, BenchImage image, Path into) throws Exception;
    }

    private static final List<String> WHAT = List.of(
            "least-work relay in front of the origin (a bench reference): bytes passed through",
            "least-work relay: each chunk and the blob hashed, the blob written, as a pull from a peer must",
            "least-work relay: the same with chunks cut by FastCDC, as a first pull must");

    private final FloorRelay relay;
    private final Copy copy;
    private final double[][] seconds;

    /** A relay in front of {@code origin}, keeping its files under {@code scratch}, for {@code rounds} counted rounds. */
    FloorRounds(URI origin, Path scratch, int rounds, Copy copy) throws IOException {
        this.relay = new FloorRelay(new InetSocketAddress(origin.getHost(), origin.getPort()), scratch);
        this.copy = copy;
        this.seconds = new double[FloorRelay.Mode.values().length][rounds];
    }

    /** Copies {@code image} in every mode without counting it: the relay's code compiled before the counted rounds. */
    void warmUp(BenchImage image, Path round) throws Exception {
        for (FloorRelay.Mode mode : FloorRelay.Mode.values()) {
            copy(mode, image, round);
        }
        clear(round);
    }

    /** The counted copies of round {@code r}; returns them for the round's progress line. */
    String round(int r, BenchImage image, Path round) throws Exception {
        for (FloorRelay.Mode mode : FloorRelay.Mode.values()) {
            seconds[mode.ordinal()][r] = copy(mode, image, round);
        }
        clear(round);
        List<String> each = new ArrayList<>();
        for (double[] bySeconds : seconds) {
            each.add(String.format(Locale.ROOT, "%.2f", bySeconds[r]));
        }
        return ", least-work relay " + String.join(" / ", each) + " s";
    }

    /**
     * Deletes the relay's copies and the blobs it wrote, kept until now as the mesh rows keep theirs to the
     * round's end, so the copies after them meet the page cache they met before these rows were added.
     */
    private void clear(Path round) throws IOException {
        for (FloorRelay.Mode mode : FloorRelay.Mode.values()) {
            FileTrees.deleteRecursively(folder(round, mode));
        }
        relay.deleteFiles();
    }

    private static Path folder(Path round, FloorRelay.Mode mode) {
        return round.resolve("floor-" + mode.name().toLowerCase(Locale.ROOT));
    }

    /**
     * One copy in {@code mode}. Fails unless a checking mode checked at least the image's two layers, and
     * every blob it checked was right.
     */
    private double copy(FloorRelay.Mode mode, BenchImage image, Path round) throws Exception {
        relay.mode(mode);
        long before = relay.checked();
        double s = copy.seconds(relay.authority(), image, folder(round, mode));
        if (mode != FloorRelay.Mode.COPY && relay.checked() - before < 2) {
            throw new IOException("the least-work relay checked " + (relay.checked() - before) + " blobs of " + image.reference() + " in " + mode);
        }
        if (relay.mismatches() > 0) {
            throw new IOException("the least-work relay found " + relay.mismatches() + " blobs whose bytes do not hash to their digest");
        }
        return s;
    }

    /** The rows of the table, each over {@code direct} seconds; adds the medians to {@code medians}. Works after {@link #close}. */
    void rows(String label, double direct, List<String> out, Map<String, Double> medians) {
        for (FloorRelay.Mode mode : FloorRelay.Mode.values()) {
            double[] v = seconds[mode.ordinal()];
            medians.put("floor-" + mode.name().toLowerCase(Locale.ROOT), Stopwatch.median(v));
            out.add(PullBench.row(label, WHAT.get(mode.ordinal()), v, direct, "-"));
        }
    }

    /** What the relay says of the goals, from the medians of {@link #rows}. */
    static void goals(Map<String, Double> loop) {
        System.out.println("What this machine allows any node, by the least-work relay of this run:");
        line("a relay passing bytes through, over the cache's warm pull", loop.get("floor-copy") / loop.get("cache-warm"), "warm", 1.1);
        line("a relay doing a pull from a peer's least work, over the same", loop.get("floor-peer") / loop.get("cache-warm"), "warm", 1.1);
        line("a relay doing a first pull's least work, over direct", loop.get("floor-first") / loop.get("direct"), "cold", 1.15);
    }

    private static void line(String what, double value, String goal, double bound) {
        System.out.printf(Locale.ROOT, "  %-66s %6.2f  (the %s goal asks <= %.2f)%n", what, value, goal, bound);
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
