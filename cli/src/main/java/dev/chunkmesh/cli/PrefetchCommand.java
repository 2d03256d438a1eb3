package dev.chunkmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh prefetch --node URL --catalog FILE}: has a node verify a release's catalog and pull all of it ahead of a rollout. */
@Command(name = "prefetch", mixinStandardHelpOptions = true,
        description = "Send a signed catalog to a node; it verifies it against its trusted keys and pulls every blob of the release.")
final class PrefetchCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--catalog", required = true, paramLabel = "FILE", description = "The signed catalog (from 'mesh catalog publish').")
    Path catalog;

    @Option(names = "--json", description = "Print the node's report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonNode done = node.client().streamPull("/v1/prefetch", Files.readAllBytes(catalog), "application/json",
                "prefetch " + catalog.getFileName());
        PullCommand.print(done, json, "prefetched " + catalog.getFileName());
        return 0;
    }
}
