package dev.chunkmesh.cli.demo;

import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Pulls an image's blobs through a registry mirror as a runtime does: {@value #AT_ONCE} at a time (the
 * default of containerd's {@code max_concurrent_downloads} and Docker's {@code max-concurrent-downloads}),
 * each checked against its digest; bytes are dropped.
 */
final class MirrorPull {
    /** Blobs read at once. */
    static final int AT_ONCE = 3;

    private MirrorPull() {
    }

    /** Reads every blob through {@code registry}, verifying each digest; reports bytes as they arrive (from several threads, one at a time). */
    static void pull(URI registry, List<BlobRequest> blobs, LongConsumer progress) throws Exception {
        RegistryClient client = RegistryClient.of(registry, Optional.empty());
        LongConsumer reported = n -> {
            synchronized (progress) {
                progress.accept(n);
            }
        };
        ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, Math.min(AT_ONCE, blobs.size())), r -> {
            Thread t = new Thread(r, "demo-mirror-pull");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (BlobRequest d : blobs) {
                reads.add(readers.submit(() -> {
                    read(client, d, reported);
                    return null;
                }));
            }
            for (Future<?> r : reads) {
                try {
                    r.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static void read(RegistryClient client, BlobRequest d, LongConsumer progress) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[256 * 1024];
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
