package dev.chunkmesh.sim;

import java.io.InputStream;

/**
 * Deterministic layer-like bytes without holding them: 64 KiB blocks, alternately random and
 * text-like, from a seed. Version 2 of a layer changes the blocks that {@code changed} selects in
 * place (same length), spread evenly, so content-defined chunking finds the rest unchanged.
 */
final class SyntheticLayer extends InputStream {
    static final int BLOCK = 64 * 1024;
    private final long size;
    private final long seed;
    private final double change;
    private final int version;
    private final byte[] block = new byte[BLOCK];
    private long pos;
    private long blockIndex = -1;

    SyntheticLayer(long size, long seed, double change, int version) {
        this.size = size;
        this.seed = seed;
        this.change = change;
        this.version = version;
    }

    /** Whether block {@code i} differs between version 1 and 2. */
    static boolean changed(long i, double change) {
        if (change <= 0) {
            return false;
        }
        long every = Math.max(1, Math.round(1 / change));
        return i % every == every / 2;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - pos);
        int done = 0;
        while (done < n) {
            long bi = pos / BLOCK;
            if (bi != blockIndex) {
                fill(bi);
            }
            int inBlock = (int) (pos % BLOCK);
            int k = Math.min(n - done, BLOCK - inBlock);
            System.arraycopy(block, inBlock, b, off + done, k);
            done += k;
            pos += k;
        }
        return n;
    }

    private void fill(long bi) {
        blockIndex = bi;
        long s = seed * 0x9E3779B97F4A7C15L + bi;
        if (version > 1 && changed(bi, change)) {
            s ^= 0x5DEECE66DL * version;
        }
        boolean text = (mix(s) & 1) == 0;
        for (int i = 0; i < BLOCK; i += 8) {
            long v = mix(s + i);
            for (int k = 0; k < 8; k++) {
                block[i + k] = text ? (byte) ('a' + (int) ((v >>> (8 * k)) & 0x0f)) : (byte) (v >>> (8 * k));
            }
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
