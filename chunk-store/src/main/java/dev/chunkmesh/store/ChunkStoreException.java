package dev.chunkmesh.store;

/** Base of every failure the chunk store reports; the message names the chunk and what was done. */
public class ChunkStoreException extends RuntimeException {
    public ChunkStoreException(String message) {
        super(message);
    }

    public ChunkStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
