package dev.chunkmesh.system;

import dev.chunkmesh.cli.MeshCommand;
import dev.chunkmesh.node.config.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One mesh node as its own operating-system process ({@code mesh node run}, on the test class path),
 * so that it can be killed with SIGKILL or started inside a network namespace. Its output goes to a
 * log file beside its data.
 */
final class NodeProcess extends NodeApi implements AutoCloseable {

    private final Path log;
    private final Process process;

    private NodeProcess(String name, URI admin, URI registry, Optional<String> token, Path log, Process process) {
        super(name, admin, registry, token);
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code mesh node run} with {@code settings} (each passed as {@code --set key=value}),
     * behind {@code prefix} (for example {@code ip netns exec NS}) if not empty. The settings must give
     * {@code network.admin-bind} and {@code network.admin-port}.
     */
    static NodeProcess start(String name, NodeSettings node, List<String> prefix, Path log) throws IOException {
        Map<String, String> settings = node.flags();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName(), "node", "run"));
        new TreeMap<>(settings).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        URI admin = URI.create("http://" + settings.get("network.admin-bind") + ":" + settings.get("network.admin-port"));
        URI registry = URI.create("http://" + settings.get("network.registry-bind") + ":" + settings.get("network.registry-port"));
        return new NodeProcess(name, admin, registry, token(settings), log, p);
    }

    /** Waits until {@code /healthz} answers 200 (joined the cluster). */
    @Override
    NodeProcess awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        super.awaitHealthy(timeout);
        return this;
    }

    @Override
    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the cluster, no index snapshot. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM and a wait for a clean exit; SIGKILL if it does not come. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill9();
        }
    }
}
