package dev.chunkmesh.cli;

import dev.chunkmesh.node.tls.MeshCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh ca init} and {@code mesh ca issue}: the mesh's own CA for mTLS between nodes. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "The mesh CA for mTLS between nodes.",
        subcommands = {CaCommand.Init.class, CaCommand.Issue.class})
final class CaCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create the mesh CA (ca.crt, ca.key) in DIR; never overwrites one.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the CA lives; keep ca.key off the nodes.")
        Path dir;

        @Option(names = "--name", description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name = "chunk mesh CA";

        @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days = 3650;

        @Override
        public Integer call() throws Exception {
            Path cert = MeshCa.init(dir, name, Duration.ofDays(days));
            System.out.println("mesh CA created: " + cert + " (give it to every node as tls.ca), key " + dir.resolve(MeshCa.CA_KEY));
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a node certificate signed by the mesh CA; re-issuing replaces the files atomically, and running nodes pick them up.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA folder (from 'mesh ca init').")
        Path dir;

        @Option(names = "--node", required = true, description = "The node's name (node.name).")
        String node;

        @Option(names = "--address", paramLabel = "IP_OR_HOST", description = "An address the node is reached at (repeatable).")
        List<String> addresses = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "Where to write NODE.crt and NODE.key (default: the CA folder).")
        Path out;

        @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days = 90;

        @Override
        public Integer call() throws Exception {
            MeshCa.Issued issued = MeshCa.issue(dir, node, addresses, out == null ? dir : out, Duration.ofDays(days));
            System.out.println("issued " + issued.cert() + " and " + issued.key() + " (serial " + issued.serial().toString(16) + ")");
            return 0;
        }
    }
}
