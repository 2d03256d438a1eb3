package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman (4.3) as root with everything of its own under a temp folder: its storage
 * ({@code vfs}, {@code --root}, {@code --runroot}), its {@code registries.conf} naming a mirror in front
 * of the origin, its {@code containers.conf} and {@code storage.conf} (through the
 * {@code CONTAINERS_*} variables, so the machine's files are not read), and, for the paths podman writes
 * whatever it is told ({@code /var/lib/containers/cache}, {@code /run/containers}, {@code /var/tmp}),
 * a private mount namespace ({@link PrivateMounts}). Podman has no daemon: nothing keeps running
 * between commands. Skips the test, with a message, where podman is missing, we are not root or no
 * mount namespace can be made.
 */
final class PodmanHarness {
    static final String BINARY = "/usr/bin/podman";
    private final Path dir;
    private final PrivateMounts mounts;

    private PodmanHarness(Path dir) {
        this.dir = dir;
        Map<String, Path> shadows = new LinkedHashMap<>();
        shadows.put("/var/lib", dir.resolve("shadow/var-lib"));
        shadows.put("/run", dir.resolve("shadow/run"));
        shadows.put("/var/tmp", dir.resolve("shadow/var-tmp"));
        this.mounts = new PrivateMounts(shadows);
    }

    /** Checks podman can run here, before any other fixture is started. */
    static void assumeAvailable() {
        assumeTrue(Files.isExecutable(Path.of(BINARY)), "Debian's podman is not installed (apt-get install podman)");
        assumeTrue("root".equals(System.getProperty("user.name")), "podman is tested as root (its rootless mode needs subuids)");
        assumeTrue(PrivateMounts.available(), "no private mount namespace can be made here (unshare --mount), and podman would write "
                + "/var/lib/containers and /run/containers of the machine");
    }

    /** Podman with {@code registry} (host:port, plain HTTP) mirrored by {@code mirror} (host:port, plain HTTP). */
    static PodmanHarness start(Path dir, String registry, String mirror) throws IOException, InterruptedException {
        assumeAvailable();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("registries.conf"), String.join("\n",
                "unqualified-search-registries = []",
                "",
                "[[registry]]",
                "location = \"" + registry + "\"",
                "insecure = true",
                "",
                "[[registry.mirror]]",
                "location = \"" + mirror + "\"",
                "insecure = true",
                ""));
        Files.writeString(dir.resolve("storage.conf"), String.join("\n",
                "[storage]",
                "driver = \"vfs\"",
                "graphroot = \"" + dir.resolve("root") + "\"",
                "runroot = \"" + dir.resolve("run") + "\"",
                ""));
        Files.writeString(dir.resolve("containers.conf"), String.join("\n",
                "[engine]",
                "cgroup_manager = \"cgroupfs\"",
                "events_logger = \"none\"",
                "tmp_dir = \"" + dir.resolve("tmp") + "\"",
                "image_copy_tmp_dir = \"" + dir.resolve("tmp") + "\"",
                "volume_path = \"" + dir.resolve("volumes") + "\"",
                "",
                "[network]",
                "network_config_dir = \"" + dir.resolve("networks") + "\"",
                ""));
        PodmanHarness h = new PodmanHarness(dir);
        Result version = h.podman("version");
        assumeTrue(version.exit() == 0, "podman does not run here: " + version.output());
        return h;
    }

    record Result(int exit, String output) {}

    Result podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
                "--storage-driver", "vfs", "--tmpdir", dir.resolve("tmp").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(mounts.wrap(cmd)).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
        env.put("CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
        env.put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.remove("XDG_RUNTIME_DIR");
        env.remove("XDG_CONFIG_HOME");
        Files.createDirectories(dir.resolve("tmp"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }
}
