package dev.chunkmesh.node.pull;

import dev.chunkmesh.store.Digest;
import java.util.Objects;

/** A blob to pull, the repository to ask the origin for it in, and its size if known (-1 if not). */
public record BlobRequest(String repository, Digest blob, long size) {
    public BlobRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(blob, "blob");
    }
}
