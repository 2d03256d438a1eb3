package dev.chunkmesh.catalog.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.json.JsonFields;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Rollback protection: remembers the newest catalog accepted (its sequence and digest) in a small
 * JSON file, and refuses an older one unless the operator names exactly that older sequence.
 */
public final class SeenCatalogs {

    /** The newest catalog accepted so far. */
    public record Seen(long sequence, Digest digest) {}

    private final Path file;

    public SeenCatalogs(Path file) {
        this.file = file;
    }

    public Optional<Seen> newest() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode node = CanonicalJson.read(Files.readAllBytes(file), file.toString());
        JsonFields f = new JsonFields(node, file.toString());
        Seen seen = new Seen(f.number("sequence"), f.digest("digest"));
        f.end();
        return Optional.of(seen);
    }

    /**
     * Refuses {@code verified} if it is older than the newest seen (unless {@code allowRollbackTo} names
     * its sequence) or has the same sequence with other content; otherwise records it if it is newer
     * (or an allowed rollback).
     */
    public void admit(SignedCatalog.Verified verified, OptionalLong allowRollbackTo) throws CatalogRefusedException, IOException {
        long sequence = verified.catalog().sequence();
        Optional<Seen> seen = newest();
        if (seen.isPresent()) {
            Seen s = seen.get();
            if (sequence == s.sequence() && !verified.digest().equals(s.digest())) {
                throw new CatalogRefusedException(CatalogRefusedException.Reason.CONFLICT, "catalog " + sequence
                        + " differs from the catalog " + sequence + " already accepted (" + s.digest().shortForm() + "...)");
            }
            if (sequence < s.sequence()) {
                if (allowRollbackTo.isEmpty() || allowRollbackTo.getAsLong() != sequence) {
                    throw new CatalogRefusedException(CatalogRefusedException.Reason.ROLLBACK, "catalog " + sequence
                            + " is older than catalog " + s.sequence() + " already accepted; to roll back on purpose, pass"
                            + " --allow-rollback-to " + sequence);
                }
            } else if (sequence == s.sequence()) {
                return;
            }
        }
        record(new Seen(sequence, verified.digest()));
    }

    private void record(Seen seen) throws IOException {
        Map<String, Object> m = new TreeMap<>();
        m.put("sequence", seen.sequence());
        m.put("digest", seen.digest().toString());
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".seen", ".tmp");
        Files.write(temp, CanonicalJson.write(m));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
