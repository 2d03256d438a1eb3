package dev.chunkmesh.node.pull;

import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.store.Digest;
import java.util.Objects;

/** A blob to pull, the origin and repository to ask for it if no peer holds it, and its size if known (-1 if not). */
public record BlobRequest(Origin origin, String repository, Digest blob, long size) {
    public BlobRequest {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(blob, "blob");
    }
}
