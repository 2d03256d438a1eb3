package dev.chunkmesh.store;

import java.util.Objects;

/** One chunk of a blob: where it starts in the blob, how long it is, and its digest. */
public record ChunkRef(long offset, int length, Digest digest) {
    public ChunkRef {
        if (offset < 0) {
            throw new IllegalArgumentException("chunk offset must be >= 0, got " + offset);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("chunk length must be > 0, got " + length);
        }
        Objects.requireNonNull(digest, "digest");
    }

    /** The offset just past the chunk's last byte. */
    public long end() {
        return offset + length;
    }
}
