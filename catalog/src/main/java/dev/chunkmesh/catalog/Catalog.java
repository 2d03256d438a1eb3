package dev.chunkmesh.catalog;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A versioned description of a release: the images it names, every blob they need, and the recipe of
 * each blob. Construction checks that it is complete: every blob an image names is described, every
 * described blob has a recipe of the same size, and nothing is described twice.
 *
 * @param sequence monotonic version number, at least 1; nodes refuse a catalog older than one they saw
 * @param created when it was made (whole seconds, UTC)
 * @param expires after this instant nodes refuse it; empty for no expiry
 */
public record Catalog(long sequence, Instant created, Optional<Instant> expires, List<ImageEntry> images,
                      List<BlobInfo> blobs, Map<Digest, Recipe> recipes) {

    public Catalog {
        if (sequence < 1) {
            throw new IllegalArgumentException("catalog sequence must be >= 1, got " + sequence);
        }
        Objects.requireNonNull(created, "created");
        created = created.truncatedTo(ChronoUnit.SECONDS);
        expires = expires.map(e -> e.truncatedTo(ChronoUnit.SECONDS));
        if (expires.isPresent() && !expires.get().isAfter(created)) {
            throw new IllegalArgumentException("catalog expiry " + expires.get() + " must be after its creation " + created);
        }
        images = List.copyOf(images);
        blobs = List.copyOf(blobs);
        recipes = Map.copyOf(new TreeMap<>(recipes));
        Set<Digest> described = new HashSet<>();
        for (BlobInfo b : blobs) {
            if (!described.add(b.digest())) {
                throw new IllegalArgumentException("blob " + b.digest() + " is described twice");
            }
            Recipe r = recipes.get(b.digest());
            if (r == null) {
                throw new IllegalArgumentException("blob " + b.digest() + " has no recipe");
            }
            if (!r.blob().equals(b.digest()) || r.size() != b.size()) {
                throw new IllegalArgumentException("recipe for blob " + b.digest() + " is for " + r.blob() + " of " + r.size()
                        + " bytes, the blob has " + b.size());
            }
        }
        if (recipes.size() != described.size()) {
            throw new IllegalArgumentException("catalog has recipes for blobs it does not describe");
        }
        Set<String> references = new HashSet<>();
        for (ImageEntry image : images) {
            if (!references.add(image.reference())) {
                throw new IllegalArgumentException("image " + image.reference() + " is listed twice");
            }
            for (Digest d : image.blobs()) {
                if (!described.contains(d)) {
                    throw new IllegalArgumentException("image " + image.reference() + " needs blob " + d + " that the catalog does not describe");
                }
            }
        }
    }

    /** The description of a blob, if the catalog names it. */
    public Optional<BlobInfo> blob(Digest digest) {
        return blobs.stream().filter(b -> b.digest().equals(digest)).findFirst();
    }

    /** Whether the catalog has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expires.isPresent() && !now.isBefore(expires.get());
    }
}
