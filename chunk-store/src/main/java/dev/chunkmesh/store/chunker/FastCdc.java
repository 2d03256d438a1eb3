package dev.chunkmesh.store.chunker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The FastCDC 2016 cut-point function (Xia et al., USENIX ATC 2016) with normalized chunking.
 *
 * <p>Gear table, masks, mask selection and the cut loop follow the C reference implementation, so the
 * cut points equal those of fastcdc-rs's {@code v2016} module for the same parameters. This class is
 * stateless and thread-safe; {@link StreamChunker} drives it over a stream.
 */
public final class FastCdc {

    /**
     * Hash masks indexed by bit count, from the C reference (64 B to 128 KiB) and restic's FastCDC
     * (larger sizes); indexes 0 to 4 are never used.
     */
    static final long[] MASKS = {
        0, 0, 0, 0, 0,
        0x0000000001804110L, 0x0000000001803110L, 0x0000000018035100L, 0x0000001800035300L,
        0x0000019000353000L, 0x0000590003530000L, 0x0000d90003530000L, 0x0000d90103530000L,
        0x0000d90303530000L, 0x0000d90313530000L, 0x0000d90f03530000L, 0x0000d90303537000L,
        0x0000d90703537000L, 0x0000d90707537000L, 0x0000d91707537000L, 0x0000d91747537000L,
        0x0000d91767537000L, 0x0000d93767537000L, 0x0000d93777537000L, 0x0000d93777577000L,
        0x0000db3777577000L,
    };

    /** The gear table: entry i is the first 8 bytes (big-endian) of MD5 over 64 bytes all equal to i. */
    static final long[] GEAR = gearTable();

    private final ChunkerParams params;
    private final long maskS;
    private final long maskL;

    /** A cut: the chunk's length from the start of the window, and the gear hash where it was cut. */
    public record Cut(int length, long hash) {}

    public FastCdc(ChunkerParams params) {
        this.params = params;
        int bits = log2Rounded(params.avgSize());
        this.maskS = MASKS[bits + params.normalization()];
        this.maskL = MASKS[bits - params.normalization()];
    }

    public ChunkerParams params() {
        return params;
    }

    long maskS() {
        return maskS;
    }

    long maskL() {
        return maskL;
    }

    /**
     * Finds the end of the next chunk in {@code buf[start, start+available)}. The window must hold at
     * least {@code maxSize} bytes unless it reaches the end of the blob; the returned length is in
     * {@code [1, min(available, maxSize)]} for a non-empty window.
     */
    public Cut cut(byte[] buf, int start, int available) {
        if (available <= params.minSize()) {
            return new Cut(available, 0);
        }
        int center = params.avgSize();
        int limit = available;
        if (available > params.maxSize()) {
            limit = params.maxSize();
        } else if (available < center) {
            center = available;
        }
        long hash = 0;
        int i = params.minSize();
        final long[] gear = GEAR;
        final long small = maskS;
        for (; i < center; i++) {
            hash = (hash << 1) + gear[buf[start + i] & 0xFF];
            if ((hash & small) == 0) {
                return new Cut(i, hash);
            }
        }
        final long large = maskL;
        for (; i < limit; i++) {
            hash = (hash << 1) + gear[buf[start + i] & 0xFF];
            if ((hash & large) == 0) {
                return new Cut(i, hash);
            }
        }
        return new Cut(i, hash);
    }

    /** log2 rounded to the nearest integer, as the reference picks the mask whose size is closest. */
    static int log2Rounded(int value) {
        return (int) Math.round(Math.log(value) / Math.log(2));
    }

    private static long[] gearTable() {
        long[] table = new long[256];
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no MD5", e);
        }
        byte[] seed = new byte[64];
        for (int i = 0; i < 256; i++) {
            Arrays.fill(seed, (byte) i);
            byte[] sum = md5.digest(seed);
            long v = 0;
            for (int b = 0; b < 8; b++) {
                v = (v << 8) | (sum[b] & 0xFF);
            }
            table[i] = v;
        }
        return table;
    }
}
