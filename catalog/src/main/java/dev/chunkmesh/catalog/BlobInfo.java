package dev.chunkmesh.catalog;

import dev.chunkmesh.store.Digest;
import java.util.Objects;

/**
 * A blob a catalog names: its digest, media type and size. Its recipe is in the catalog under the same
 * digest.
 */
public record BlobInfo(Digest digest, String mediaType, long size) {
    public BlobInfo {
        Objects.requireNonNull(digest, "digest");
        if (mediaType == null || mediaType.isBlank() || mediaType.length() > 255) {
            throw new IllegalArgumentException("blob " + digest + " needs a media type");
        }
        if (size < 0) {
            throw new IllegalArgumentException("blob " + digest + " has a negative size");
        }
    }
}
