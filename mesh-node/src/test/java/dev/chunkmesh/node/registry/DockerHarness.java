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
 * A Docker Engine of its own for one test (Debian's {@code docker.io}, 20.10), apart from any other
 * dockerd on the machine: its own data root, exec root, pidfile, trust key and socket under a temp
 * folder, no iptables rules, no IP forwarding or masquerading, no bridge, the {@code vfs} storage
 * driver, and our own containerd ({@link ContainerdHarness}). It runs in a private mount namespace
 * ({@link PrivateMounts}), so its {@code /run/docker} and the bind mount of its data root never reach
 * the machine, with an {@code /etc/resolv.conf} naming only loopback. {@code registry-mirrors} names a
 * node: Docker asks a mirror only for Docker Hub names, so tests push their images to the origin as
 * {@code library/<name>} and the node's default origin is that registry. Docker Hub cannot be reached,
 * so a pull that succeeds came through the mirror. Skips the test, with a message, where Docker is
 * missing, we are not root, or dockerd cannot start.
 */
final class DockerHarness implements AutoCloseable {
    static final String DOCKERD = "/usr/sbin/dockerd";
    private final Path dir;
    private final ContainerdHarness containerd;
    private final Process process;

    private DockerHarness(Path dir, ContainerdHarness containerd, Process process) {
        this.dir = dir;
        this.containerd = containerd;
        this.process = process;
    }

    /** Checks Docker can run here, before any other fixture is started. */
    static void assumeAvailable() {
        assumeTrue(Files.isExecutable(Path.of(DOCKERD)) && client() != null, "Debian's docker.io (dockerd and docker) is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "dockerd needs root");
        assumeTrue(PrivateMounts.available(), "no private mount namespace can be made here (unshare --mount) for dockerd");
    }

    private static Path client() {
        for (String p : List.of("/usr/bin/docker", "/usr/local/bin/docker")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Starts dockerd with {@code mirror} (an {@code http://host:port} URL) as its only registry mirror. */
    static DockerHarness start(Path dir, String mirror) throws Exception {
        assumeAvailable();
        Files.createDirectories(dir);
        ContainerdHarness containerd = ContainerdHarness.start(dir.resolve("containerd"));
        Process p;
        try {
            Path config = dir.resolve("daemon.json");
            Files.writeString(config, String.join("\n",
                    "{\"data-root\": \"" + dir.resolve("data") + "\", \"exec-root\": \"" + dir.resolve("exec") + "\",",
                    " \"pidfile\": \"" + dir.resolve("dockerd.pid") + "\", \"deprecated-key-path\": \"" + dir.resolve("key.json") + "\",",
                    " \"hosts\": [\"unix://" + dir.resolve("docker.sock") + "\"], \"containerd\": \"" + containerd.socket() + "\",",
                    " \"iptables\": false, \"ip-forward\": false, \"ip-masq\": false, \"bridge\": \"none\", \"storage-driver\": \"vfs\",",
                    " \"registry-mirrors\": [\"" + mirror + "\"]}",
                    ""));
            // Docker falls back to Docker Hub when a mirror fails: its DNS lookup goes to loopback, where
            // nothing answers, so not even a failing test sends anything off this machine.
            Path resolv = dir.resolve("resolv.conf");
            Files.writeString(resolv, "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
            Map<String, Path> shadows = new LinkedHashMap<>();
            shadows.put("/etc/resolv.conf", resolv);
            shadows.put("/run", dir.resolve("shadow/run"));
            PrivateMounts mounts = new PrivateMounts(shadows);
            p = new ProcessBuilder(mounts.wrap(List.of(DOCKERD, "--config-file", config.toString())))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        } catch (IOException | RuntimeException e) {
            containerd.close();
            throw e;
        }
        DockerHarness h = new DockerHarness(dir, containerd, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(dir.resolve("docker.sock")) && h.docker("version").exit() == 0) {
                return h;
            }
            Thread.sleep(200);
        }
        String log = Files.readString(dir.resolve("dockerd.log"));
        h.close();
        assumeTrue(false, "dockerd did not start here: " + log.substring(Math.max(0, log.length() - 1500)));
        return h;
    }

    record Result(int exit, String output) {}

    /** Runs the docker client against this engine (its own client config, never {@code ~/.docker}). */
    Result docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(client().toString(), "-H", "unix://" + dir.resolve("docker.sock")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("client").toString());
        pb.environment().remove("DOCKER_HOST");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    /** The end of dockerd's log, for failure messages. */
    String log() throws IOException {
        String log = Files.readString(dir.resolve("dockerd.log"));
        return log.substring(Math.max(0, log.length() - 3000));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } finally {
            containerd.close();
        }
    }
}
