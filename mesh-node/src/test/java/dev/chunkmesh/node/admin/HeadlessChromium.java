package dev.chunkmesh.node.admin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, with a fresh profile and no background networking (this machine's
 * network is closed): the DOM of a page after its scripts ran for a while, and a screenshot. Skips the
 * test, with a message, where Chromium is not installed.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    /** The page's DOM once {@code millis} of (virtual) time have let its scripts fetch and render. */
    static String dom(String url, Path profile, int millis) throws Exception {
        return run(profile, "--dump-dom", "--virtual-time-budget=" + millis, url);
    }

    /** A PNG of the page at 1280x900 after {@code millis}. */
    static void screenshot(String url, Path profile, Path png, int millis) throws Exception {
        run(profile, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900", "--virtual-time-budget=" + millis, url);
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path profile, String... args) throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "Debian's chromium is not installed (apt-get install chromium)");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish");
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
