package dev.chunkmesh.cli.demo;

import dev.chunkmesh.store.ByteSize;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh demo}: the main job on embedded defaults. A small mesh on this machine (three POP nodes
 * and a micro-hub), a built-in origin serving an image made from real files (or a registry the user
 * names), the image pulled through each node's registry mirror, and a table of where the bytes came
 * from. Stops cleanly on Ctrl-C; {@code --once} stops at once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = {DemoStoreCommand.class},
        description = {"Start a small mesh (3 POP nodes, 1 micro-hub) and a built-in origin on loopback, pull an image through each",
                "node's registry mirror, and show where the bytes came from. 'mesh demo store' shows the chunk store alone."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Where the demo keeps its files; emptied first (default: ./data/demo).")
    Path data = Path.of("data", "demo");

    @Option(names = "--origin", paramLabel = "URL", description = "Use this registry as origin instead of the built-in one (needs --image).")
    URI origin;

    @Option(names = "--image", paramLabel = "REPO:TAG", description = "The image to pull from --origin.")
    String image;

    @Option(names = "--image-size", paramLabel = "SIZE", description = "Budget of real files in the built-in image (default: 64MiB).")
    ByteSize imageSize = ByteSize.parse("64MiB");

    @Option(names = "--once", description = "Stop after the pulls instead of waiting for Ctrl-C (the default when not run from a terminal).")
    boolean once;

    @Option(names = "--json", description = "Print one JSON document with the results instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((origin == null) != (image == null)) {
            throw new IllegalArgumentException("--origin and --image go together: name the registry and the image to pull from it");
        }
        MeshDemo demo = new MeshDemo(data, origin, image, imageSize.bytes(), json);
        return demo.run(once);
    }
}
