package dev.chunkmesh.node.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The bearer token of the admin API ({@code admin.token-file}): at least 16 printable ASCII characters
 * with no spaces, so it fits an {@code Authorization} header as is. Never printed.
 */
public record AdminToken(String value) {
    static final int MIN_LENGTH = 16;
    private static final String SCHEME = "bearer ";

    public AdminToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the token is empty");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a token is printable ASCII with no spaces or line breaks inside");
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a token must have at least " + MIN_LENGTH + " characters, this one has " + value.length()
                    + " (make one with: openssl rand -hex 24)");
        }
    }

    /** The token in {@code file}, leading and trailing whitespace removed (a Kubernetes Secret or {@code echo} adds a newline). */
    public static AdminToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        try {
            return new AdminToken(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an {@code Authorization} header carries this token ({@code Bearer <token>}, the scheme in
     * any case). Whatever token the header holds, the comparison takes the same time: both sides are
     * hashed, then compared in constant time, so neither the token's bytes nor its length leak.
     */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(sha256(value), sha256(authorization.substring(SCHEME.length())));
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
