package dev.chunkmesh.catalog.sign;

import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 catalog keys as PEM files, the same format as {@code openssl genpkey -algorithm ed25519}:
 * the private key is PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, file mode 0600), the public key is
 * SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}). A key's id is {@code sha256:} of its
 * 32 raw public-key bytes.
 */
public final class KeyFiles {
    public static final String PRIVATE_FILE = "catalog.key";
    public static final String PUBLIC_FILE = "catalog.pub";

    private KeyFiles() {
    }

    /** A signing key and the id of its public half. */
    public record SigningKey(Ed25519PrivateKeyParameters key, String keyId) {
        public VerifyingKey publicKey() {
            return VerifyingKey.of(key.generatePublicKey());
        }
    }

    /** A public key that verifies catalog signatures. */
    public record VerifyingKey(Ed25519PublicKeyParameters key, String keyId) {
        static VerifyingKey of(Ed25519PublicKeyParameters key) {
            return new VerifyingKey(key, keyIdOf(key));
        }
    }

    static String keyIdOf(Ed25519PublicKeyParameters key) {
        return Digest.sha256(key.getEncoded()).toString();
    }

    /** Generates a key pair into {@code dir}; refuses to overwrite existing key files. */
    public static SigningKey generate(Path dir, SecureRandom random) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "a key file is already there; move it away first");
            }
        }
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(random);
        String privatePem = pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, privatePem, StandardCharsets.US_ASCII);
        Ed25519PublicKeyParameters publicKey = key.generatePublicKey();
        Files.writeString(pub, pem("PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded()),
                StandardCharsets.US_ASCII);
        return new SigningKey(key, keyIdOf(publicKey));
    }

    /** @throws IllegalArgumentException if the file is not an Ed25519 private key in PEM */
    public static SigningKey readPrivate(Path file) throws IOException {
        byte[] der = readPem(file, "PRIVATE KEY");
        AsymmetricKeyParameter k;
        try {
            k = PrivateKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable private key: " + e.getMessage(), e);
        }
        if (!(k instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IllegalArgumentException(file + " holds a " + k.getClass().getSimpleName() + ", not an Ed25519 key");
        }
        return new SigningKey(ed, keyIdOf(ed.generatePublicKey()));
    }

    /** @throws IllegalArgumentException if the file is not an Ed25519 public key in PEM */
    public static VerifyingKey readPublic(Path file) throws IOException {
        byte[] der = readPem(file, "PUBLIC KEY");
        AsymmetricKeyParameter k;
        try {
            k = PublicKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable public key: " + e.getMessage(), e);
        }
        if (!(k instanceof Ed25519PublicKeyParameters ed)) {
            throw new IllegalArgumentException(file + " holds a " + k.getClass().getSimpleName() + ", not an Ed25519 key");
        }
        return VerifyingKey.of(ed);
    }

    private static byte[] readPem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        PemObject o;
        try (PemReader r = new PemReader(new StringReader(text))) {
            o = r.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a PEM file: " + e.getMessage(), e);
        }
        if (o == null) {
            throw new IllegalArgumentException(file + " has no PEM block");
        }
        if (!o.getType().equals(type)) {
            throw new IllegalArgumentException(file + " holds a '" + o.getType() + "' block, expected '" + type + "'");
        }
        return o.getContent();
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter s = new StringWriter();
        try (PemWriter w = new PemWriter(s)) {
            w.writeObject(new PemObject(type, der));
        }
        return s.toString();
    }
}
