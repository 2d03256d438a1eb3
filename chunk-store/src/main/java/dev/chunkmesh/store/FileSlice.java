package dev.chunkmesh.store;

import java.nio.channels.FileChannel;

/**
 * A chunk's raw bytes as a region of a file, for sending with {@code sendfile} without copying them
 * through the JVM. The bytes were checked when the slice was made; the file stays open (and its bytes
 * unchanged) until {@link #release} is called, exactly once.
 */
public record FileSlice(FileChannel channel, long offset, int length, Runnable release) {}
