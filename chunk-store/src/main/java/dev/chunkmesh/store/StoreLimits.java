package dev.chunkmesh.store;

/**
 * How much a store may hold. When a put would take the store above the high watermark, the least
 * recently used unpinned chunks are evicted until it is at or below the low watermark; a put that
 * cannot fit under {@code capacityBytes} even then is refused.
 *
 * @param capacityBytes the most the store's chunk frames may take, in bytes
 * @param highWatermark fraction of capacity that starts eviction, in (0, 1]
 * @param lowWatermark fraction of capacity eviction brings the store down to, in (0, highWatermark]
 */
public record StoreLimits(long capacityBytes, double highWatermark, double lowWatermark) {

    public StoreLimits {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("store capacity must be > 0 bytes, got " + capacityBytes);
        }
        if (!(highWatermark > 0 && highWatermark <= 1)) {
            throw new IllegalArgumentException("high watermark must be in (0, 1], got " + highWatermark);
        }
        if (!(lowWatermark > 0 && lowWatermark <= highWatermark)) {
            throw new IllegalArgumentException("low watermark must be in (0, high watermark " + highWatermark
                    + "], got " + lowWatermark);
        }
    }

    /** {@code capacityBytes} with the default watermarks: evict at 90 %, down to 80 %. */
    public static StoreLimits ofCapacity(long capacityBytes) {
        return new StoreLimits(capacityBytes, 0.90, 0.80);
    }

    /** No practical limit, for tests and tools that never evict. */
    public static StoreLimits unlimited() {
        return ofCapacity(Long.MAX_VALUE);
    }

    long highBytes() {
        return (long) (capacityBytes * highWatermark);
    }

    long lowBytes() {
        return (long) (capacityBytes * lowWatermark);
    }
}
