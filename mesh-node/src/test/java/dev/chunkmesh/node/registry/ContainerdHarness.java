package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's containerd started for one test with its own root, state and socket under a temp folder
 * (no CRI, no TCP), and its {@code ctr} client. Skips the test, with a message, where containerd is
 * not installed or we are not root.
 */
final class ContainerdHarness implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private ContainerdHarness(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static ContainerdHarness start(Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr")),
                "Debian's containerd is not installed (apt-get install containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "containerd needs root");
        Files.createDirectories(dir);
        Path config = dir.resolve("config.toml");
        Files.writeString(config, String.join("\n",
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
                "[grpc]",
                "  address = \"" + dir.resolve("containerd.sock") + "\"",
                "[ttrpc]",
                "  address = \"" + dir.resolve("containerd-ttrpc.sock") + "\"",
                "[debug]",
                "  address = \"\"",
                "[metrics]",
                "  address = \"\"",
                ""));
        Process p = new ProcessBuilder("/usr/bin/containerd", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        ContainerdHarness h = new ContainerdHarness(dir, p);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve("containerd.sock")) && h.ctr("version").exit() == 0) {
                return h;
            }
            Thread.sleep(100);
        }
        h.close();
        throw new IOException("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
    }

    record Result(int exit, String output) {}

    Result ctr(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ctr", "--address", dir.resolve("containerd.sock").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    /** The bytes containerd holds in its content store under {@code digest} ({@code ctr content get}). */
    byte[] content(String digest) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/ctr", "--address", socket().toString(), "content", "get", digest)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ctr content get " + digest + " failed");
        }
        return bytes;
    }

    /** The gRPC socket, for clients such as dockerd ({@code --containerd}). */
    Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** Writes {@code hosts.toml} naming {@code mirror} (pull, resolve) in front of {@code upstream}; returns the hosts dir. */
    Path hostsDir(String upstream, String mirror) throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.createDirectories(hosts.resolve(upstream));
        Files.writeString(hosts.resolve(upstream).resolve("hosts.toml"), String.join("\n",
                "server = \"http://" + upstream + "\"",
                "",
                "[host.\"" + mirror + "\"]",
                "  capabilities = [\"pull\", \"resolve\"]",
                ""));
        return hosts;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
