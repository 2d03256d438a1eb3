package dev.chunkmesh.node.origin;

import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;

/** {@link Origin} over an OCI distribution registry, held to a bandwidth limit. */
public final class RegistryOrigin implements Origin {
    private final RegistryClient client;
    private final Bandwidth bandwidth;

    public RegistryOrigin(RegistryClient client, Bandwidth bandwidth) {
        this.client = Objects.requireNonNull(client, "client");
        this.bandwidth = Objects.requireNonNull(bandwidth, "bandwidth");
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference) throws IOException {
        return client.manifest(repository, reference);
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference, String accept) throws IOException {
        return client.manifest(repository, reference, accept);
    }

    @Override
    public long size(String repository, Digest blob) throws IOException {
        return client.blobSize(repository, blob);
    }

    @Override
    public InputStream blobFrom(String repository, Digest blob, long offset) throws IOException {
        return Origin.throttled(client.blobFrom(repository, blob, offset), bandwidth);
    }

    @Override
    public byte[] range(String repository, Digest blob, long offset, int length) throws IOException {
        byte[] bytes = client.blobRange(repository, blob, offset, length);
        try {
            bandwidth.take(bytes.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while held to the origin bandwidth");
        }
        return bytes;
    }
}
