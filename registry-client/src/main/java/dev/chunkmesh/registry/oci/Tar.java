package dev.chunkmesh.registry.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal ustar writer for image layers: regular files only (names up to 100 bytes), fixed owner
 * and time, so the same files always make the same layer.
 */
public final class Tar {
    private Tar() {
    }

    /** One tar entry's bytes: a 512-byte header, then the content padded to 512. */
    public static byte[] entry(String name, byte[] content) {
        if (name.getBytes(StandardCharsets.US_ASCII).length > 100) {
            throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + content.length + 512);
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", content.length));
        put(h, 136, 12, String.format("%011o", 1_700_000_000L));
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = '0';
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, 7, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return out.toByteArray();
    }

    /** The end-of-archive marker: two zero blocks. */
    public static void end(OutputStream out) throws IOException {
        out.write(new byte[1024]);
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
}
