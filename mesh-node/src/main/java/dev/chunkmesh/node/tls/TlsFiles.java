package dev.chunkmesh.node.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A node's mTLS material on disk: the mesh CA certificate it trusts, and its own certificate and key.
 * Options are built from the files' current contents, so a caller that rebuilds them when
 * {@link #stamp} changes picks up a rotated certificate without a restart. Reads block.
 */
public record TlsFiles(Path ca, Path cert, Path key) {
    public TlsFiles {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /** Changes whenever any of the three files is replaced or rewritten. */
    public String stamp() {
        StringBuilder b = new StringBuilder();
        for (Path p : new Path[] {ca, cert, key}) {
            try {
                b.append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
            } catch (IOException e) {
                b.append("missing;");
            }
        }
        return b.toString();
    }

    /** Server options: this node's certificate, peers must present one signed by the mesh CA. */
    public ServerSSLOptions server() {
        return new ServerSSLOptions().setKeyCertOptions(keyCert()).setTrustOptions(trust()).setClientAuth(ClientAuth.REQUIRED);
    }

    /**
     * Client options: this node's certificate, and only the mesh CA trusted. Peers are dialled by
     * address and their certificates name them, so host names are not checked; the CA is the check.
     */
    public ClientSSLOptions client() {
        return new ClientSSLOptions().setKeyCertOptions(keyCert()).setTrustOptions(trust()).setHostnameVerificationAlgorithm("");
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertValue(read(cert)).setKeyValue(read(key));
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertValue(read(ca));
    }

    private static Buffer read(Path p) {
        try {
            return Buffer.buffer(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException("read TLS file " + p, e);
        }
    }
}
