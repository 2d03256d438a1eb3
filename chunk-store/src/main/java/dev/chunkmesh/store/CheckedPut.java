package dev.chunkmesh.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A frame checked against its digest when it was handed to the store, and the put it began.
 *
 * @param raw the chunk's raw bytes, checked: a view of the frame where it was not compressed; read, never change
 * @param stored completes once the chunk is stored, or fails as a put does
 */
public record CheckedPut(ByteBuffer raw, CompletableFuture<Void> stored) {}
