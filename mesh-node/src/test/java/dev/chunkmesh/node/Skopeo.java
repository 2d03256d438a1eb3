package dev.chunkmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's skopeo, run by tests with a bound on its time: its output goes to a file, so a hung copy cannot hang the test. */
public final class Skopeo {
    private Skopeo() {
    }

    /**
     * {@code skopeo copy --src-tls-verify=false OPTIONS SOURCE TARGET}; fails the test, with skopeo's
     * output, if it does not exit 0 within 120 s. Returns the output.
     */
    public static String copy(String source, String target, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(source, target));
        Path log = Files.createTempFile("skopeo", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            assertTrue(ended, "skopeo copy timed out: " + out);
            assertEquals(0, p.exitValue(), "skopeo copy " + source + " failed: " + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
