package dev.chunkmesh.cli;

import dev.chunkmesh.node.admin.AdminToken;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which node's admin API a command talks to, and the token it sends (the node's {@code admin.token-file}). */
final class NodeOptions {

    @Option(names = "--node", paramLabel = "URL", description = "The node's admin URL (default: ${DEFAULT-VALUE}).")
    String node = "http://127.0.0.1:7071";

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:MESH_ADMIN_TOKEN_FILE}",
            description = "File holding the node's admin token, as its admin.token-file (default: $MESH_ADMIN_TOKEN_FILE).")
    Path tokenFile;

    NodeClient client() {
        return new NodeClient(node, Optional.ofNullable(tokenFile).map(AdminToken::read));
    }
}
