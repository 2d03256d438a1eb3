package dev.chunkmesh.cli;

import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.catalog.sign.CatalogRefusedException;
import dev.chunkmesh.catalog.sign.SeenCatalogs;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.catalog.sign.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh catalog verify --trust KEY_OR_DIR FILE}: exit 0 and one line, or exit 3 and the reason. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a signed catalog: signature by a trusted key, expiry, and rollback against the newest catalog seen.")
public final class CatalogVerifyCommand implements Callable<Integer> {

    /** Exit code of a refused catalog, apart from usage (2) and other errors (1). */
    public static final int REFUSED = 3;

    @Parameters(index = "0", paramLabel = "FILE", description = "The signed catalog.")
    Path file;

    @Option(names = "--trust", required = true, paramLabel = "PUBLIC_KEY_OR_DIR", description = "A .pub key file, or a folder of them.")
    Path trust;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Where the newest accepted catalog is remembered for rollback protection (default: ./data/catalog/seen.json).")
    Path state = Path.of("data", "catalog", "seen.json");

    @Option(names = "--allow-rollback-to", paramLabel = "SEQUENCE", description = "Accept this older sequence on purpose.")
    Long allowRollbackTo;

    @Override
    public Integer call() throws Exception {
        TrustStore store = TrustStore.load(trust);
        try {
            SignedCatalog.Verified v = SignedCatalog.verify(Files.readAllBytes(file), store, Instant.now());
            new SeenCatalogs(state).admit(v, allowRollbackTo == null ? OptionalLong.empty() : OptionalLong.of(allowRollbackTo));
            long bytes = v.catalog().blobs().stream().mapToLong(b -> b.size()).sum();
            System.out.printf("valid: catalog %d, %d images, %d blobs (%s), signed by %s, %s%n", v.catalog().sequence(),
                    v.catalog().images().size(), v.catalog().blobs().size(), ByteSize.human(bytes), v.keyId(),
                    v.catalog().expires().map(e -> "expires " + e).orElse("no expiry"));
            return 0;
        } catch (CatalogRefusedException e) {
            System.err.println("refused (" + e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + e.getMessage());
            return REFUSED;
        }
    }
}
