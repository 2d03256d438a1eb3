package dev.chunkmesh.cli.bench;

import java.io.IOException;

/** Downloads with curl to /dev/null, timed by curl itself: what an HTTP client sees of a server's speed. */
final class Curl {
    private Curl() {
    }

    static boolean installed() {
        return ServeBench.onPath("curl");
    }

    /** MB/s (10^6 bytes) of one download of {@code url}, which must be {@code expected} bytes long. */
    static double megabytesPerSecond(String url, long expected) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-f", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IOException("curl " + url + " failed: " + out);
        }
        String[] parts = out.split(" ");
        long got = Long.parseLong(parts[0]);
        if (got != expected) {
            throw new IOException("curl " + url + " got " + got + " bytes, expected " + expected);
        }
        return got / Double.parseDouble(parts[1]) / 1e6;
    }
}
