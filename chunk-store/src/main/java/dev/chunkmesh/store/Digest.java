package dev.chunkmesh.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A SHA-256 content digest, the identity of every chunk, recipe and blob in the mesh.
 *
 * <p>Held as four longs so that an index of millions of digests stays compact. The only text form
 * is {@code sha256:<64 lowercase hex>}; {@link #parse} refuses every other spelling.
 */
public record Digest(long w0, long w1, long w2, long w3) implements Comparable<Digest> {

    /** The algorithm prefix of the text form. */
    public static final String PREFIX = "sha256:";
    private static final int HEX_LENGTH = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Parses {@code sha256:<64 lowercase hex>}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text; no other form is accepted
     */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("digest is missing");
        }
        if (!text.startsWith(PREFIX)) {
            int colon = text.indexOf(':');
            String shown = shorten(text);
            if (colon > 0) {
                throw new IllegalArgumentException("unsupported digest algorithm '" + text.substring(0, colon)
                        + "' in '" + shown + "': only sha256 is accepted");
            }
            throw new IllegalArgumentException("digest '" + shown + "' must start with 'sha256:'");
        }
        String hex = text.substring(PREFIX.length());
        if (hex.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("digest '" + shorten(text) + "' must have 64 hex characters after 'sha256:', found "
                    + hex.length());
        }
        long[] words = new long[4];
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = hex.charAt(i);
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            } else {
                throw new IllegalArgumentException("digest '" + shorten(text) + "' has '" + c + "' at position "
                        + (PREFIX.length() + i) + ": only lowercase hex (0-9, a-f) is accepted");
            }
            words[i / 16] = (words[i / 16] << 4) | v;
        }
        return new Digest(words[0], words[1], words[2], words[3]);
    }

    /** Wraps 32 raw digest bytes. */
    public static Digest ofBytes(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("a sha256 digest has 32 bytes, got " + raw.length);
        }
        return new Digest(word(raw, 0), word(raw, 8), word(raw, 16), word(raw, 24));
    }

    /** The SHA-256 digest of {@code data[offset, offset+length)}. */
    public static Digest sha256(byte[] data, int offset, int length) {
        MessageDigest md = newSha256();
        md.update(data, offset, length);
        return ofBytes(md.digest());
    }

    /** The SHA-256 digest of all of {@code data}. */
    public static Digest sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    /** A fresh SHA-256 {@link MessageDigest}; every JDK has one. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The 64 lowercase hex characters, without the algorithm prefix. */
    public String hex() {
        char[] out = new char[HEX_LENGTH];
        long[] words = {w0, w1, w2, w3};
        for (int i = 0; i < HEX_LENGTH; i++) {
            out[i] = HEX[(int) (words[i / 16] >>> (60 - 4 * (i % 16))) & 0xF];
        }
        return new String(out);
    }

    /** The 32 raw digest bytes. */
    public byte[] bytes() {
        byte[] out = new byte[32];
        long[] words = {w0, w1, w2, w3};
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (words[i / 8] >>> (56 - 8 * (i % 8)));
        }
        return out;
    }

    /** A short form for logs: {@code sha256:ab12cd34ef56}. */
    public String shortForm() {
        return PREFIX + hex().substring(0, 12);
    }

    @Override
    public String toString() {
        return PREFIX + hex();
    }

    @Override
    public int compareTo(Digest o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) c = Long.compareUnsigned(w1, o.w1);
        if (c == 0) c = Long.compareUnsigned(w2, o.w2);
        if (c == 0) c = Long.compareUnsigned(w3, o.w3);
        return c;
    }

    private static long word(byte[] raw, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (raw[from + i] & 0xFF);
        }
        return v;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
