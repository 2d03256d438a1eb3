package dev.chunkmesh.store;

import java.util.Locale;

/**
 * A size in bytes as operators write it: {@code 65536}, {@code 64KiB}, {@code 64k}, {@code 2GiB},
 * {@code 1.5G}. K, M, G and T are powers of 1024 with or without {@code iB}; {@code KB}/{@code MB}/...
 * are powers of 1000.
 */
public record ByteSize(long bytes) {

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize parse(String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size: expected a number such as 65536, 64KiB or 2GiB");
        }
        double number;
        try {
            number = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size: bad number");
        }
        long unit = switch (t.substring(i).strip().toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "ki", "kib" -> 1L << 10;
            case "m", "mi", "mib" -> 1L << 20;
            case "g", "gi", "gib" -> 1L << 30;
            case "t", "ti", "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit: use B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB)");
        };
        double bytes = number * unit;
        if (bytes > Long.MAX_VALUE || bytes != Math.floor(bytes)) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return new ByteSize((long) bytes);
    }

    /** The size as an int, for chunk sizes. */
    public int asInt(String what) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + bytes + " bytes is too large");
        }
        return (int) bytes;
    }

    /** A short human form: {@code 1.5 GiB}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
