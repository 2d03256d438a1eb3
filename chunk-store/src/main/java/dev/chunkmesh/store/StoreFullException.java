package dev.chunkmesh.store;

/**
 * A chunk could not be stored for lack of room: the device is full, or the capacity limit is reached
 * and every remaining chunk is pinned. Nothing half-written is left visible.
 */
public class StoreFullException extends ChunkStoreException {
    public StoreFullException(String message) {
        super(message);
    }

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
