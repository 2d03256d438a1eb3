package dev.chunkmesh.cli;

import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.Publisher;
import dev.chunkmesh.catalog.oci.Descriptor;
import dev.chunkmesh.catalog.sign.KeyFiles;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.registry.Credentials;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.Recipe;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh catalog publish}: read tags from a registry, chunk every blob once, write a signed catalog. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Read images from an OCI registry, chunk their blobs and write a signed catalog.")
final class CatalogPublishCommand implements Callable<Integer> {

    @Option(names = "--origin", required = true, paramLabel = "URL", description = "The registry, e.g. http://127.0.0.1:5000 or https://registry.example.com.")
    URI origin;

    @Option(names = "--repo", required = true, paramLabel = "NAME", description = "Repository, e.g. team/app.")
    String repo;

    @Option(names = "--tag", required = true, paramLabel = "TAG", description = "A tag to include; repeat for more.")
    List<String> tags;

    @Option(names = "--key", required = true, paramLabel = "PRIVATE_KEY", description = "The catalog signing key (catalog.key).")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the signed catalog.")
    Path out;

    @Option(names = "--sequence", paramLabel = "N", description = "Catalog sequence number (default: the previous catalog's + 1).")
    Long sequence;

    @Option(names = "--previous", paramLabel = "FILE", description = "The previous catalog: its recipes are reused for unchanged blobs.")
    Path previous;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Expiry from now, e.g. P30D or PT12H (ISO-8601; default: none).")
    Duration expiresIn;

    @Option(names = "--user", paramLabel = "NAME", description = "Registry user; the password is read from the environment variable named by --password-env.")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the registry password (default: MESH_REGISTRY_PASSWORD).")
    String passwordEnv = "MESH_REGISTRY_PASSWORD";

    @Mixin
    ChunkerOptions chunker;

    @Override
    public Integer call() throws Exception {
        KeyFiles.SigningKey signingKey = KeyFiles.readPrivate(key);
        Optional<Catalog> prior = previous == null ? Optional.empty()
                : Optional.of(SignedCatalog.readUnverified(Files.readAllBytes(previous)));
        long seq = sequence != null ? sequence : prior.map(c -> c.sequence() + 1).orElseThrow(() ->
                new IllegalArgumentException("give --sequence N, or --previous FILE to continue from a previous catalog"));
        Optional<Credentials> credentials = Optional.empty();
        if (user != null) {
            String password = System.getenv(passwordEnv);
            if (password == null) {
                throw new IllegalArgumentException("--user given but environment variable " + passwordEnv + " is not set");
            }
            credentials = Optional.of(new Credentials(user, password));
        }
        Instant now = Instant.now();
        ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        BarListener bars = new BarListener();
        Catalog catalog;
        try {
            catalog = new Publisher(RegistryClient.of(origin, credentials), chunker.params(), workers, prior, bars)
                    .publish(repo, tags, seq, now, Optional.ofNullable(expiresIn).map(now::plus));
        } finally {
            bars.close();
            workers.shutdownNow();
        }
        byte[] signed = SignedCatalog.sign(catalog, List.of(signingKey));
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".catalog", ".tmp");
        Files.write(temp, signed);
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long bytes = catalog.blobs().stream().mapToLong(b -> b.size()).sum();
        System.out.printf("wrote %s: catalog %d, %d images, %d blobs (%s), %d chunked now, %d reused, signed by %s%n", out, seq,
                catalog.images().size(), catalog.blobs().size(), ByteSize.human(bytes), bars.chunked, bars.reused, signingKey.keyId());
        return 0;
    }

    /** One progress bar per blob being chunked, on stderr. */
    private static final class BarListener implements Publisher.Listener {
        private ProgressBar bar;
        int chunked;
        int reused;

        @Override
        public void blobStarted(String repository, Descriptor blob) {
            close();
            bar = Progress.bytes(blob.digest().shortForm(), blob.size());
        }

        @Override
        public void blobProgress(long bytesRead) {
            if (bar != null) {
                bar.stepTo(bytesRead);
            }
        }

        @Override
        public void blobDone(Descriptor blob, Recipe recipe) {
            chunked++;
            close();
        }

        @Override
        public void blobReused(Descriptor blob) {
            reused++;
        }

        void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
