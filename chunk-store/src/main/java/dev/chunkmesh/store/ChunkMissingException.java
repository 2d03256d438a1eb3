package dev.chunkmesh.store;

/** The store does not hold the chunk; a caller may fall through to another source. */
public final class ChunkMissingException extends ChunkStoreException {
    private final Digest digest;

    public ChunkMissingException(Digest digest) {
        super("chunk " + digest + " is not in the store");
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
