package dev.chunkmesh.store;

import java.util.Optional;

/**
 * Bytes that claim to be a chunk are not: the frame could not be decoded, or the decoded bytes hash
 * to another digest. The bytes are never served; a store moves such a file aside.
 */
public final class ChunkCorruptException extends ChunkStoreException {
    private final Digest expected;
    private final Digest actual;

    /** The decoded bytes hash to {@code actual} instead of {@code expected}. */
    public ChunkCorruptException(Digest expected, Digest actual) {
        super("chunk " + expected + " is corrupt: its bytes hash to " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    /** The frame for {@code expected} cannot be decoded, for the given reason. */
    public ChunkCorruptException(Digest expected, String reason) {
        super("chunk " + expected + " is corrupt: " + reason);
        this.expected = expected;
        this.actual = null;
    }

    public Digest expected() {
        return expected;
    }

    /** The digest of what was decoded, when decoding got that far. */
    public Optional<Digest> actual() {
        return Optional.ofNullable(actual);
    }
}
