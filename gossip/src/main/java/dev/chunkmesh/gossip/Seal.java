package dev.chunkmesh.gossip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tags messages with an HMAC-SHA256 under a key derived from the cluster secret, one key per purpose,
 * so that whoever lacks the secret (a member of the Hazelcast cluster that knows only its name, a
 * peer address learned from Hazelcast) can neither forge a tag nor learn the secret from one. A tag
 * covers every field and their boundaries. Thread-safe.
 */
public final class Seal {
    private final ThreadLocal<Mac> macs;

    private Seal(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
    }

    /** The seal for {@code purpose} (such as "gossip" or "peer api") under {@code clusterSecret}; one purpose's tags are useless for another. */
    public static Seal of(String clusterSecret, String purpose) {
        Objects.requireNonNull(clusterSecret, "clusterSecret");
        Objects.requireNonNull(purpose, "purpose");
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new Seal(m.doFinal(("chunk-mesh seal " + purpose).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The tag of {@code fields}, in hex. */
    public String tag(String... fields) {
        Mac m = macs.get();
        for (String f : fields) {
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            m.update(ByteBuffer.allocate(4).putInt(b.length).array());
            m.update(b);
        }
        return HexFormat.of().formatHex(m.doFinal());
    }

    /** Whether {@code tag} is this seal's tag of {@code fields}; compared in constant time. A null tag is not. */
    public boolean check(String tag, String... fields) {
        return tag != null && MessageDigest.isEqual(tag.getBytes(StandardCharsets.US_ASCII), tag(fields).getBytes(StandardCharsets.US_ASCII));
    }
}
