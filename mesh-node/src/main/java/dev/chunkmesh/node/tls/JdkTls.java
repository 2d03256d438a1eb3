package dev.chunkmesh.node.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The same mTLS material as a JDK {@link SSLContext}, for clients built on {@code java.net.http}: the
 * node presents its own certificate and trusts only the mesh CA. Unlike the peer clients, which dial
 * addresses learnt from the POP, a JDK client checks that the certificate names the host it dialled.
 */
public final class JdkTls {
    private JdkTls() {
    }

    /** A context from the files' current contents. Reads block. */
    public static SSLContext context(TlsFiles files) throws IOException {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> chain = x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(files.cert())));
            Collection<? extends Certificate> cas = x509.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(files.ca())));
            if (chain.isEmpty() || cas.isEmpty()) {
                throw new IOException("no certificate in " + (chain.isEmpty() ? files.cert() : files.ca()));
            }
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, none);
            keys.setKeyEntry("node", key(files), none, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, none);
            int i = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build TLS from " + files + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(TlsFiles files) throws IOException {
        try (PEMParser pem = new PEMParser(new StringReader(Files.readString(files.key())))) {
            Object o = pem.readObject();
            JcaPEMKeyConverter convert = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return convert.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return convert.getKeyPair(pair).getPrivate();
            }
            throw new IOException(files.key() + " holds no private key");
        }
    }
}
