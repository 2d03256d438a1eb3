package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.demo.DemoLayers;
import dev.chunkmesh.registry.oci.OciLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An image of {@code bench pull}, pushed to its origin: two layers of generated files (4 KiB to 2 MiB, two
 * in three text-like, the rest random), a gzip layer of a third of the budget and an uncompressed one of
 * the rest. Each number gives other files, so no two images share a chunk, and a POP that held one is
 * cold for the next, as a running fleet is for a new release.
 *
 * @param tag the image's tag in the origin's {@link #REPOSITORY}
 * @param plainLayer the uncompressed layer's digest, the layer curl reads from the node and the origin
 * @param plainBytes its size
 * @param blobBytes the bytes of its two layers and its manifest (the small config blob left out)
 */
record BenchImage(String tag, String plainLayer, long plainBytes, long blobBytes) {

    static final String REPOSITORY = "bench/app";

    /** The uncompressed layer's path on a registry, {@code /v2/REPOSITORY/blobs/DIGEST}. */
    String plainLayerPath() {
        return "/v2/" + REPOSITORY + "/blobs/" + plainLayer;
    }

    /** {@code REPOSITORY:tag}, for skopeo. */
    String reference() {
        return REPOSITORY + ":" + tag;
    }

    /** Writes image number {@code n} of about {@code budget} bytes of files under {@code work}, pushes it to {@code origin}, and deletes the layout. */
    static BenchImage push(Path work, int n, long budget, String origin) throws Exception {
        Path dir = work.resolve("image-" + n);
        OciLayout layout = new OciLayout(dir);
        long seed = 100L * n;
        OciLayout.Layer gzip = layout.layer(files(seed + 11, budget / 3), OciLayout.Compression.GZIP);
        OciLayout.Layer plain = layout.layer(files(seed + 12, budget - budget / 3), OciLayout.Compression.NONE);
        OciLayout.Blob manifest = layout.manifest(List.of(gzip, plain), "linux", "amd64");
        String tag = "v" + n;
        layout.tag(tag, manifest);
        BenchImage image = new BenchImage(tag, plain.blob().digest().toString(), plain.blob().size(),
                gzip.blob().size() + plain.blob().size() + manifest.size());
        try {
            skopeo("oci:" + dir + ":" + tag, "docker://" + origin + "/" + image.reference(), "--preserve-digests");
        } finally {
            FileTrees.deleteRecursively(dir);
        }
        return image;
    }

    /** {@code skopeo copy} without TLS checks (everything is on loopback); fails with skopeo's output. */
    static void skopeo(String from, String to, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false"));
        command.addAll(List.of(flags));
        command.addAll(List.of(from, to));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("skopeo copy " + from + " " + to + " failed: " + out);
        }
    }

    private static List<OciLayout.File> files(long seed, long budget) {
        SplittableRandom r = new SplittableRandom(seed);
        List<OciLayout.File> out = new ArrayList<>();
        for (long total = 0; total < budget; ) {
            int length = (int) Math.min(budget - total, 4096 + r.nextInt(2 << 20));
            out.add(new OciLayout.File("opt/bench/f" + seed + "-" + out.size(), DemoLayers.content(r.nextLong(), length, r.nextInt(3) > 0)));
            total += length;
        }
        return out;
    }
}
