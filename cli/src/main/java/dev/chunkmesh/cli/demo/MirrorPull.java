package dev.chunkmesh.cli.demo;

import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Pulls an image's blobs through a registry mirror as a runtime does, each checked against its digest; bytes are dropped. */
final class MirrorPull {
    private MirrorPull() {
    }

    /** Reads every blob through {@code registry}, verifying each digest; reports bytes as they arrive. */
    static void pull(URI registry, List<BlobRequest> blobs, LongConsumer progress) throws Exception {
        RegistryClient client = RegistryClient.of(registry, Optional.empty());
        byte[] buf = new byte[256 * 1024];
        for (BlobRequest d : blobs) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = client.blob(d.repository(), d.blob())) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sha.update(buf, 0, n);
                    progress.accept(n);
                }
            }
            Digest actual = Digest.ofBytes(sha.digest());
            if (!actual.equals(d.blob())) {
                throw new IOException("blob " + d.blob() + " came through the mirror as " + actual);
            }
        }
    }
}
