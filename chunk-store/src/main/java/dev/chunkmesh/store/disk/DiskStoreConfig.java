package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.StoreLimits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of a {@link DiskChunkStore}.
 *
 * @param directory the store's root; created if missing
 * @param limits capacity and eviction watermarks
 * @param fsync force each frame to the device before it becomes visible; turn off only where losing
 *     recent chunks on power loss is acceptable (a crash of the process alone never exposes partial frames)
 * @param compress store a chunk the store encodes as a zstd frame where that makes it smaller (the
 *     default); off stores every chunk it encodes raw, which trades disk space for the CPU of compressing
 *     on ingest and decompressing on every read. Frames that arrive from peers are kept as they came.
 */
public record DiskStoreConfig(Path directory, StoreLimits limits, boolean fsync, boolean compress) {

    public DiskStoreConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(limits, "limits");
    }

    /** A store compressing where it pays. */
    public DiskStoreConfig(Path directory, StoreLimits limits, boolean fsync) {
        this(directory, limits, fsync, true);
    }

    /** A store in {@code directory} with the given capacity, default watermarks, fsync on. */
    public static DiskStoreConfig of(Path directory, long capacityBytes) {
        return new DiskStoreConfig(directory, StoreLimits.ofCapacity(capacityBytes), true);
    }

    public DiskStoreConfig withFsync(boolean on) {
        return new DiskStoreConfig(directory, limits, on, compress);
    }

    public DiskStoreConfig withCompression(boolean on) {
        return new DiskStoreConfig(directory, limits, fsync, on);
    }
}
