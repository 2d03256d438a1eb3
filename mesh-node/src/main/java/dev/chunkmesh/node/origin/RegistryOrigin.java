package dev.chunkmesh.node.origin;

import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.store.Digest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** {@link Origin} over an OCI distribution registry, held to a bandwidth limit. */
public final class RegistryOrigin implements Origin {
    private final RegistryClient client;
    private final Bandwidth bandwidth;
    private final LongAdder errors = new LongAdder();

    public RegistryOrigin(RegistryClient client, Bandwidth bandwidth) {
        this.client = Objects.requireNonNull(client, "client");
        this.bandwidth = Objects.requireNonNull(bandwidth, "bandwidth");
    }

    /** Requests that failed after the client's retries; a missing manifest or blob is an answer, not an error. */
    public long errors() {
        return errors.sum();
    }

    /** Requests the client retried. */
    public long retries() {
        return client.retries();
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T counted(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (FileNotFoundException notThere) {
            throw new OriginNotFoundException(notThere.getMessage(), notThere);
        } catch (IOException | RuntimeException e) {
            errors.increment();
            throw e;
        }
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference) throws IOException {
        return counted(() -> client.manifest(repository, reference));
    }

    @Override
    public ImageSource.Fetched manifest(String repository, String reference, String accept) throws IOException {
        return counted(() -> client.manifest(repository, reference, accept));
    }

    @Override
    public Access access(String repository, String path, Optional<String> authorization) throws IOException {
        RegistryClient.Access a = counted(() -> client.access(repository, path, authorization));
        return new Access(a.status(), a.challenge());
    }

    @Override
    public long size(String repository, Digest blob) throws IOException {
        return counted(() -> client.blobSize(repository, blob));
    }

    @Override
    public InputStream blobFrom(String repository, Digest blob, long offset) throws IOException {
        return Origin.throttled(counted(() -> client.blobFrom(repository, blob, offset)), bandwidth);
    }

    @Override
    public byte[] range(String repository, Digest blob, long offset, int length) throws IOException {
        byte[] bytes = counted(() -> client.blobRange(repository, blob, offset, length));
        bandwidth.charge(bytes.length);
        return bytes;
    }
}
