package dev.chunkmesh.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh containerd-hosts}: writes containerd's {@code <dir>/<upstream>/hosts.toml} for each
 * upstream, naming the node's mirror (capabilities pull and resolve) in front of it. containerd reads
 * these files on every pull when its {@code config_path} points at {@code dir}, so no restart is needed.
 * Files are replaced atomically; other upstreams' files are left alone.
 */
@Command(name = "containerd-hosts", mixinStandardHelpOptions = true,
        description = "Write containerd hosts.toml files that send pulls of each upstream through the node's mirror.")
final class ContainerdHostsCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "containerd's hosts folder (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("/etc/containerd/certs.d");

    @Option(names = "--mirror", paramLabel = "URL", description = "The node's registry mirror (default: ${DEFAULT-VALUE}).")
    URI mirror = URI.create("http://127.0.0.1:5050");

    @Option(names = "--upstream", required = true, paramLabel = "HOST=URL",
            description = "An upstream registry host as images name it, and its URL, e.g. docker.io=https://registry-1.docker.io. Repeatable.")
    Map<String, URI> upstreams = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!"http".equals(mirror.getScheme()) && !"https".equals(mirror.getScheme()) || mirror.getHost() == null) {
            throw new IllegalArgumentException("--mirror must be an http(s) URL, got " + mirror);
        }
        for (Map.Entry<String, URI> e : upstreams.entrySet()) {
            String host = e.getKey().toLowerCase(Locale.ROOT);
            if (!host.matches("[a-z0-9.-]+(:[0-9]{1,5})?") || host.contains("..")) {
                throw new IllegalArgumentException("--upstream host must be a registry host[:port], got '" + e.getKey() + "'");
            }
            URI server = e.getValue();
            if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme()) || server.getHost() == null) {
                throw new IllegalArgumentException("--upstream " + host + " needs an http(s) URL, got " + server);
            }
            Path folder = Files.createDirectories(dir.resolve(host));
            Path temp = Files.createTempFile(folder, ".hosts", ".tmp");
            Files.writeString(temp, String.join("\n",
                    "# Written by 'mesh containerd-hosts': pulls of " + host + " go through the chunk mesh node first.",
                    "server = \"" + server + "\"",
                    "",
                    "[host.\"" + mirror + "\"]",
                    "  capabilities = [\"pull\", \"resolve\"]",
                    ""));
            Files.move(temp, folder.resolve("hosts.toml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("wrote " + folder.resolve("hosts.toml"));
        }
        return 0;
    }
}
