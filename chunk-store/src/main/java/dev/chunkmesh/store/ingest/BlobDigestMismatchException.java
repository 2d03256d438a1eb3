package dev.chunkmesh.store.ingest;

import dev.chunkmesh.store.ChunkStoreException;
import dev.chunkmesh.store.Digest;

/** A blob's bytes hash to another digest than the one it was fetched or announced as. */
public final class BlobDigestMismatchException extends ChunkStoreException {
    private final Digest expected;
    private final Digest actual;

    public BlobDigestMismatchException(Digest expected, Digest actual) {
        super("blob " + expected + " is corrupt: its bytes hash to " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
