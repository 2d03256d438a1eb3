package dev.chunkmesh.node.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in its own mount namespace ({@code unshare --mount}, private propagation) with some
 * of the machine's folders (or files) replaced by ones of the test ({@code mount -n --bind}, no
 * {@code utab} written, in the order given), so what the program writes there stays in the test's
 * temp dir and nothing of the machine's is touched. Podman writes {@code /var/lib/containers/cache}, {@code /run/containers} and
 * {@code /var/tmp} whatever its settings say; dockerd writes {@code /run/docker} and mounts its data
 * root onto itself. Needs root and util-linux's {@code unshare}.
 */
final class PrivateMounts {
    private final Map<String, Path> shadows;

    /**
     * {@code shadows}: machine folder or file (which must exist) to the test's folder or file that
     * replaces it, mounted in this order (files first: one may be a link into a shadowed folder).
     * A test folder that does not exist yet is created.
     */
    PrivateMounts(Map<String, Path> shadows) {
        this.shadows = new LinkedHashMap<>(shadows);
    }

    /** Whether this machine lets us make a mount namespace and bind-mount in it (root, unshare, mount). */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                    "mount -n -t tmpfs none /mnt").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The command line that runs {@code command} with the shadows mounted; creates the test folders. */
    List<String> wrap(List<String> command) throws IOException {
        StringBuilder script = new StringBuilder();
        List<String> args = new ArrayList<>();
        int i = 1;
        for (Map.Entry<String, Path> s : shadows.entrySet()) {
            if (!Files.exists(s.getValue())) {
                Files.createDirectories(s.getValue());
            }
            script.append("mount -n --bind \"$").append(i).append("\" \"$").append(i + 1).append("\" && ");
            args.add(s.getValue().toString());
            args.add(s.getKey());
            i += 2;
        }
        script.append("shift ").append(args.size()).append(" && exec \"$@\"");
        List<String> out = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script.toString(), "sh"));
        out.addAll(args);
        out.addAll(command);
        return out;
    }
}
