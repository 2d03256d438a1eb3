package dev.chunkmesh.store;

/** Deterministic test bytes: SplitMix64 output, little-endian, as used for the fastcdc-rs vectors. */
public final class TestData {
    private TestData() {
    }

    /** The first {@code n} bytes of the SplitMix64 stream seeded with {@code seed}. */
    public static byte[] splitMix(long seed, int n) {
        byte[] out = new byte[n];
        long state = seed;
        for (int i = 0; i < n; i += 8) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            for (int b = 0; b < 8 && i + b < n; b++) {
                out[i + b] = (byte) (z >>> (8 * b));
            }
        }
        return out;
    }

    /** Text-like, compressible bytes. */
    public static byte[] compressible(long seed, int n) {
        byte[] noise = splitMix(seed, n);
        byte[] out = new byte[n];
        String words = "layer manifest config chunk mesh node pop origin registry blob ";
        for (int i = 0; i < n; i++) {
            out[i] = (byte) words.charAt(((noise[i] & 0xFF) % 8 + i) % words.length());
        }
        return out;
    }
}
