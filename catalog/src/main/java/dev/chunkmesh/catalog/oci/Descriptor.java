package dev.chunkmesh.catalog.oci;

import dev.chunkmesh.store.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest or index points at.
 *
 * @param platform {@code os/arch[/variant]} for index entries that name one, else empty
 * @param artifactType the artifact type of a referrer, else empty
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<String> platform, Optional<String> artifactType) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor " + digest + " has a negative size");
        }
    }
}
