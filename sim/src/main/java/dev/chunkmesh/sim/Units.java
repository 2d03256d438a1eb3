package dev.chunkmesh.sim;

import dev.chunkmesh.store.ByteSize;
import java.util.Locale;

/** Parsing of scenario values: sizes ({@code 2GiB}), rates ({@code 10Gbit}, {@code 300MB}) per second, durations ({@code 30s}). */
final class Units {
    private Units() {
    }

    /** Bytes per second from {@code 10Gbit}, {@code 100Mbit} (bits) or any size such as {@code 300MB} (bytes). */
    static double rate(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("/s", "").replace("ps", "");
        for (String[] u : new String[][] {{"gbit", "1e9"}, {"mbit", "1e6"}, {"kbit", "1e3"}}) {
            if (t.endsWith(u[0])) {
                return Double.parseDouble(t.substring(0, t.length() - u[0].length()).strip()) * Double.parseDouble(u[1]) / 8;
            }
        }
        return ByteSize.parse(text.strip().replace("/s", "")).bytes();
    }

    static long size(String text) {
        return ByteSize.parse(text).bytes();
    }

    /** Seconds from {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
    static double seconds(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        double factor;
        String n;
        if (t.endsWith("ms")) {
            factor = 0.001;
            n = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            factor = 1;
            n = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60;
            n = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3600;
            n = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s or 5m");
        }
        return Double.parseDouble(n.strip()) * factor;
    }
}
