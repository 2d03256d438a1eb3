package dev.chunkmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.store.ByteSize;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh pull --node URL REPO:TAG | REPO@DIGEST}: has a node pull an image (or one blob) into its store. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Have a node pull an image, or one blob, through the mesh into its store.",
                "REF is repo:tag or repo@sha256:... (a manifest; with --blob, a blob)."})
final class PullCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REF", description = "team/app:v1, team/app@sha256:...")
    String ref;

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--blob", description = "REF names a blob, not a manifest.")
    boolean blob;

    @Option(names = "--json", description = "Print the node's report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ObjectNode request = new ObjectMapper().createObjectNode();
        int at = ref.indexOf('@');
        if (at > 0) {
            request.put("repository", ref.substring(0, at)).put(blob ? "blob" : "reference", ref.substring(at + 1));
        } else {
            int colon = ref.lastIndexOf(':');
            if (blob || colon <= 0 || ref.indexOf('/', colon) >= 0) {
                throw new IllegalArgumentException("REF must be repo:tag or repo@sha256:..." + (blob ? " (a blob needs repo@sha256:...)" : "")
                        + ", got '" + ref + "'");
            }
            request.put("repository", ref.substring(0, colon)).put("reference", ref.substring(colon + 1));
        }
        JsonNode done = node.client().streamPull("/v1/pull", request.toString().getBytes(StandardCharsets.UTF_8),
                "application/json", "pull " + ref);
        print(done, json, "pulled " + ref);
        return 0;
    }

    static void print(JsonNode done, boolean json, String what) {
        if (json) {
            System.out.println(done.toPrettyString());
            return;
        }
        long total = 0;
        for (JsonNode b : done.path("blobs")) {
            total += b.path("size").asLong();
        }
        System.out.printf(Locale.ROOT, "%s: %d blobs, %s in %.2f s%n", what, done.path("blobs").size(), ByteSize.human(total),
                done.path("seconds").asDouble());
        System.out.print(NodeClient.bytesTable(done.path("bytes")));
    }
}
