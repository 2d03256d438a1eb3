package dev.chunkmesh.catalog.sign;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys a node accepts catalog signatures from. Several keys may be trusted at once, so a
 * key can be rotated: publish with the new key while nodes still trust the old one, then drop it.
 */
public final class TrustStore {
    private final Map<String, KeyFiles.VerifyingKey> keys = new LinkedHashMap<>();

    public TrustStore(List<KeyFiles.VerifyingKey> keys) {
        for (KeyFiles.VerifyingKey k : keys) {
            this.keys.put(k.keyId(), k);
        }
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("a trust store needs at least one public key");
        }
    }

    /** Loads one {@code .pub} PEM file, or every {@code *.pub} file in a directory. */
    public static TrustStore load(Path fileOrDir) throws IOException {
        if (Files.isDirectory(fileOrDir)) {
            List<KeyFiles.VerifyingKey> found = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(fileOrDir, "*.pub")) {
                for (Path f : files) {
                    found.add(KeyFiles.readPublic(f));
                }
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no *.pub key files in " + fileOrDir);
            }
            return new TrustStore(found);
        }
        if (!Files.exists(fileOrDir)) {
            throw new IllegalArgumentException("no trust store at " + fileOrDir);
        }
        return new TrustStore(List.of(KeyFiles.readPublic(fileOrDir)));
    }

    Optional<KeyFiles.VerifyingKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public int size() {
        return keys.size();
    }
}
