package dev.chunkmesh.store.chunker;

/**
 * Parameters of the FastCDC 2016 chunker: size bounds in bytes and the normalization level.
 *
 * <p>The bounds are the ones fastcdc-rs accepts, so that the same parameters give the same cut points
 * there and here. Construction refuses anything outside them with a message naming the bound.
 *
 * @param minSize chunks are never shorter than this, except the last chunk of a blob
 * @param avgSize the size the chunker aims for; picks the hash masks
 * @param maxSize chunks are never longer than this
 * @param normalization 0 to 3; higher levels keep chunk sizes closer to {@code avgSize}
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, int normalization) {

    /** 16 KiB min, 64 KiB average, 256 KiB max, normalization level 2: the mesh's defaults. */
    public static final ChunkerParams DEFAULTS = new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 2);

    public static final int MINIMUM_MIN = 64;
    public static final int MINIMUM_MAX = 1_048_576;
    public static final int AVERAGE_MIN = 256;
    public static final int AVERAGE_MAX = 4_194_304;
    public static final int MAXIMUM_MIN = 1024;
    public static final int MAXIMUM_MAX = 16_777_216;

    public ChunkerParams {
        requireIn("min", minSize, MINIMUM_MIN, MINIMUM_MAX);
        requireIn("avg", avgSize, AVERAGE_MIN, AVERAGE_MAX);
        requireIn("max", maxSize, MAXIMUM_MIN, MAXIMUM_MAX);
        if (minSize > avgSize || avgSize > maxSize) {
            throw new IllegalArgumentException("chunk sizes must satisfy min <= avg <= max, got min=" + minSize
                    + " avg=" + avgSize + " max=" + maxSize);
        }
        if (normalization < 0 || normalization > 3) {
            throw new IllegalArgumentException("normalization level must be 0, 1, 2 or 3, got " + normalization);
        }
    }

    /** The same bounds with another normalization level. */
    public ChunkerParams withNormalization(int level) {
        return new ChunkerParams(minSize, avgSize, maxSize, level);
    }

    private static void requireIn(String name, int value, int low, int high) {
        if (value < low || value > high) {
            throw new IllegalArgumentException(name + " chunk size must be between " + low + " and " + high
                    + " bytes, got " + value);
        }
    }
}
