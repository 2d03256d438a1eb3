package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench serve}: a blob the node holds, served by its mirror to curl (a local hit), against
 * Debian's docker-registry serving the same blob from its own filesystem, started the same way in the
 * same run. Rounds alternate between the two; the median of each is reported, and their ratio.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "A held blob served to curl by a node's mirror, beside docker-registry serving the same blob: MB/s and ratio.")
final class ServeBench implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "SIZE", description = "Blob size (default: ${DEFAULT-VALUE}).")
    ByteSize size = ByteSize.parse("256MiB");

    @Option(names = "--rounds", description = "Timed downloads from each server; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work folder, emptied first (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data", "bench-serve");

    @Override
    public Integer call() throws Exception {
        if (!RegistryProcess.installed() || !Curl.installed()) {
            System.err.println("bench serve needs Debian's docker-registry and curl: apt-get install docker-registry curl");
            return 1;
        }
        FileTrees.deleteRecursively(dir);
        String repository = "bench/blob";
        Digest blob = writeBlobIntoRegistryStorage(dir.resolve("registry/storage"), repository, size.bytes());
        Path file = dir.resolve("registry/storage/docker/registry/v2/blobs/sha256").resolve(blob.hex().substring(0, 2)).resolve(blob.hex())
                .resolve("data");
        try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"), Optional.empty());
             SendFileServer bare = SendFileServer.start(file)) {
            URI origin = registry.url();
            NodeSettings settings = new NodeSettings().name("bench").peerPort(0).adminPort(0).registryPort(0)
                    .hazelcastPort(LocalMesh.freePort("127.0.0.1")).data(dir.resolve("node")).origin(origin).accessLog(false);
            try (MeshNode node = MeshNode.start(settings.load())) {
                String path = "/v2/" + repository + "/blobs/" + blob;
                long t0 = System.nanoTime();
                node.pulls().pull(node.upstreams().defaultOrigin(), repository, blob).result().get(10, TimeUnit.MINUTES);
                System.err.printf(Locale.ROOT, "bench serve: %s blob pulled into the node in %.2f s; %d rounds each after a warm-up%n",
                        ByteSize.human(size.bytes()), (System.nanoTime() - t0) / 1e9, rounds);
                check(node.registryUrl() + path, blob);
                var recipe = node.localRecipes().find(blob).orElseThrow();
                double[] reads = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long s0 = System.nanoTime();
                    for (var c : recipe.chunks()) {
                        node.store().getBuffer(c.digest());
                    }
                    reads[r] = size.bytes() / ((System.nanoTime() - s0) / 1e9) / 1e6;
                }
                double[] mesh = new double[rounds];
                double[] plain = new double[rounds];
                double[] floor = new double[rounds];
                double[] views = new double[rounds];
                for (int r = -1; r < rounds; r++) {
                    double p = Curl.megabytesPerSecond(origin + path, size.bytes());
                    double m = Curl.megabytesPerSecond(node.registryUrl() + path, size.bytes());
                    double v = Curl.megabytesPerSecond(bare.url(), size.bytes());
                    double w = Curl.megabytesPerSecond(bare.mappedUrl(), size.bytes());
                    if (r >= 0) {
                        plain[r] = p;
                        mesh[r] = m;
                        floor[r] = v;
                        views[r] = w;
                        System.err.printf(Locale.ROOT, "  round %d: docker-registry %.0f MB/s, mesh node %.0f MB/s, Vert.x sendFile %.0f MB/s,"
                                + " Vert.x mapped writes %.0f MB/s%n", r + 1, p, m, v, w);
                    }
                }
                double pm = Stopwatch.median(plain);
                double mm = Stopwatch.median(mesh);
                double vm = Stopwatch.median(floor);
                double wm = Stopwatch.median(views);
                System.out.printf(Locale.ROOT, "blob                         %s of random bytes, held by both servers%n", ByteSize.human(size.bytes()));
                System.out.printf(Locale.ROOT, "docker-registry (filesystem)  %6.0f MB/s%n", pm);
                System.out.printf(Locale.ROOT, "mesh node mirror (local hit)  %6.0f MB/s   (%.2f x docker-registry, %.2f x Vert.x mapped writes; every"
                        + " chunk checked by its CRC32C as it streams)%n", mm, mm / pm, mm / wm);
                System.out.printf(Locale.ROOT, "Vert.x mapped writes          %6.0f MB/s   (%.2f x docker-registry; the node's HTTP stack with nothing of the node,"
                        + " 256 KiB views of the mapped file)%n", wm, wm / pm);
                System.out.printf(Locale.ROOT, "Vert.x sendFile of the file   %6.0f MB/s   (%.2f x docker-registry; the same stack, one sendFile)%n", vm, vm / pm);
                System.out.printf(Locale.ROOT, "store reads alone             %6.0f MB/s   (every chunk read and CRC-checked in order, 1 thread)%n",
                        Stopwatch.median(reads));
                System.out.printf(Locale.ROOT, "curl to /dev/null over loopback, median of %d; MB = 10^6 bytes%n", rounds);
            }
        } finally {
            FileTrees.deleteRecursively(dir);
        }
        return 0;
    }

    /**
     * Writes a random blob where docker-registry's filesystem driver keeps blobs, and links it into
     * {@code repository}, so the registry serves it without an upload.
     */
    static Digest writeBlobIntoRegistryStorage(Path storage, String repository, long bytes) throws IOException {
        Path v2 = storage.resolve("docker/registry/v2");
        Path temp = v2.resolve("tmp-blob");
        Files.createDirectories(v2);
        MessageDigest sha = Digest.newSha256();
        SplittableRandom random = new SplittableRandom(7);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(temp)) {
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        Digest d = Digest.ofBytes(sha.digest());
        Path data = v2.resolve("blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex()).resolve("data");
        Files.createDirectories(data.getParent());
        Files.move(temp, data);
        Path link = v2.resolve("repositories").resolve(repository).resolve("_layers/sha256").resolve(d.hex()).resolve("link");
        Files.createDirectories(link.getParent());
        Files.writeString(link, d.toString());
        return d;
    }

    /** Downloads once and checks the digest, so the timed rounds measure a correct server. */
    private static void check(String url, Digest blob) throws Exception {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        if (r.statusCode() != 200 || !Digest.ofBytes(sha.digest()).equals(blob)) {
            throw new IOException(url + " did not serve the blob byte for byte (status " + r.statusCode() + ")");
        }
    }

    static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
