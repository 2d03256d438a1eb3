package dev.chunkmesh.node.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The mesh's own certificate authority for mTLS between nodes: an ECDSA P-256 CA
 * ({@code ca.crt}, {@code ca.key}) and node certificates it signs ({@code <node>.crt},
 * {@code <node>.key}), each valid for both server and client use and naming the node. Private keys are
 * written 0600 and never overwritten: a re-issue writes new files that replace the old atomically, so
 * a node watching them picks the new pair up whole.
 */
public final class MeshCa {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A certificate and key written for a node. */
    public record Issued(Path cert, Path key, BigInteger serial) {}

    private MeshCa() {
    }

    /** Creates a CA in {@code dir}; refuses to replace one. */
    public static Path init(Path dir, String name, Duration validity) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(CA_KEY)) || Files.exists(dir.resolve(CA_CERT))) {
            throw new FileAlreadyExistsException(dir.resolve(CA_KEY).toString(), null, "a mesh CA already exists here; it is never overwritten");
        }
        KeyPair kp = keyPair();
        X500Name subject = new X500Name("CN=" + name + ",O=chunk mesh");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(validity)), subject, kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        X509Certificate cert = sign(b, kp.getPrivate());
        writeKey(dir.resolve(CA_KEY), kp.getPrivate());
        writePem(dir.resolve(CA_CERT), cert);
        return dir.resolve(CA_CERT);
    }

    /**
     * Issues a certificate for node {@code node}, signed by the CA in {@code caDir}, into
     * {@code outDir/<node>.crt} and {@code .key}, replacing any earlier pair atomically.
     *
     * @param addresses IP addresses or host names the node is reached at, added as subject alternative names
     */
    public static Issued issue(Path caDir, String node, List<String> addresses, Path outDir, Duration validity)
            throws IOException, GeneralSecurityException {
        if (!NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("node name '" + node + "' must be 1-63 of a-z, 0-9 and '-'");
        }
        X509Certificate ca = readCert(caDir.resolve(CA_CERT));
        PrivateKey caKey = readKey(caDir.resolve(CA_KEY));
        KeyPair kp = keyPair();
        Instant now = Instant.now();
        BigInteger serial = serial();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial, Date.from(now.minusSeconds(300)),
                Date.from(now.plus(validity)), new X500Name("CN=" + node + ",O=chunk mesh"), kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, node)));
        for (String a : addresses) {
            names.add(new GeneralName(a.matches("[0-9.]+|[0-9a-fA-F:]+") ? GeneralName.iPAddress : GeneralName.dNSName, a));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        X509Certificate cert = sign(b, caKey);
        Files.createDirectories(outDir);
        Path certFile = outDir.resolve(node + ".crt");
        Path keyFile = outDir.resolve(node + ".key");
        writeKey(keyFile, kp.getPrivate());
        writePem(certFile, cert);
        return new Issued(certFile, keyFile, serial);
    }

    public static X509Certificate readCert(Path file) throws IOException, GeneralSecurityException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(file))) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(h);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(file))) {
            Object o = p.readObject();
            if (!(o instanceof PrivateKeyInfo info)) {
                throw new IOException(file + " holds no PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, pem(new JcaPKCS8Generator(key, null)));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writePem(Path file, Object o) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".crt", ".tmp");
        Files.writeString(temp, pem(o));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }
}
