package dev.chunkmesh.cli;

import dev.chunkmesh.catalog.sign.KeyFiles;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh catalog keygen --out DIR}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Write an Ed25519 key pair: DIR/catalog.key (private, mode 0600) and DIR/catalog.pub (PEM).")
final class CatalogKeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key files; created if missing.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyFiles.SigningKey key = KeyFiles.generate(out, new SecureRandom());
        System.out.println("wrote " + out.resolve(KeyFiles.PRIVATE_FILE) + " (keep it secret) and " + out.resolve(KeyFiles.PUBLIC_FILE));
        System.out.println("key id " + key.keyId());
        return 0;
    }
}
