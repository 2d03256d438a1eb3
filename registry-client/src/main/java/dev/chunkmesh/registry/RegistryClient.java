package dev.chunkmesh.registry;

import dev.chunkmesh.catalog.oci.Descriptor;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.oci.MediaTypes;
import dev.chunkmesh.store.Digest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A read-only client of the OCI distribution API: manifests (OCI and Docker v2 schema 2), blobs and
 * referrers. Plain HTTP for loopback registries, HTTPS otherwise; Basic auth or bearer tokens
 * obtained from the registry's {@code WWW-Authenticate} challenge; retries with backoff on connection
 * errors and 5xx answers. Every manifest is checked against its digest.
 */
public final class RegistryClient implements ImageSource {

    /** Manifests larger than this are refused, as the distribution spec suggests. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final RegistryTransport transport;

    /**
     * @param base the registry, for example {@code http://127.0.0.1:5000} or {@code https://registry.example.com}; a
     *             path in it (for example {@code https://node:7070/tier}) is kept in front of every {@code /v2/} path
     * @param attempts tries per request on connection errors and 5xx answers, at least 1
     * @param backoff the wait before the second try; it doubles each time
     */
    public RegistryClient(URI base, Optional<Credentials> credentials, HttpSettings http, int attempts, Duration backoff) {
        this(new RegistryTransport(base, credentials, http, attempts, backoff, Duration.ofSeconds(60), Signer.NONE));
    }

    private RegistryClient(RegistryTransport transport) {
        this.transport = transport;
    }

    /** A client with {@link HttpSettings#defaults()}, 4 attempts and 200 ms initial backoff. */
    public static RegistryClient of(URI base, Optional<Credentials> credentials) {
        return new RegistryClient(base, credentials, HttpSettings.defaults(), 4, Duration.ofMillis(200));
    }

    /** Where a {@link Signer} puts a header of the request being signed. */
    @FunctionalInterface
    public interface Headers {
        void header(String name, String value);
    }

    /**
     * Adds headers to each request before it is sent, for example a signature over its method and URI.
     * They go only to the registry's own host, not to a host a redirect leads to.
     */
    @FunctionalInterface
    public interface Signer {
        Signer NONE = (request, method, uri) -> { };

        void sign(Headers request, String method, URI uri);
    }

    /** The same client, with every request (access checks included) passed through {@code signer} before it is sent. */
    public RegistryClient withSigner(Signer signer) {
        return new RegistryClient(transport.withSigner(signer));
    }

    /** What the registry answered a client's own credentials: the status and, on a 401, its challenge. */
    public record Access(int status, Optional<String> challenge) {}

    /**
     * Asks the registry whether a client may read {@code path} of {@code repository}: a HEAD with the
     * client's {@code Authorization} header passed through as it is (none if empty), no retries. An
     * empty {@code repository} asks the version check {@code /v2/}.
     */
    public Access access(String repository, String path, Optional<String> authorization) throws IOException {
        return transport.access(repository.isEmpty() ? "/v2/" : "/v2/" + repository + path, authorization);
    }

    /** Requests sent again after a connection error or a 5xx, since this client was made. */
    public long retries() {
        return transport.retries();
    }

    @Override
    public Fetched manifest(String repository, String reference) throws IOException {
        return manifest(repository, reference, String.join(", ", MediaTypes.ACCEPTED_MANIFESTS));
    }

    /**
     * The manifest as the registry serves it for this {@code Accept} header (a mirror passes its
     * client's), checked against its digest like {@link #manifest(String, String)}.
     */
    public Fetched manifest(String repository, String reference, String accept) throws IOException {
        Exchange.Answer r = transport.get(repository, "/v2/" + repository + "/manifests/" + reference, accept);
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException(0, "manifest " + repository + ":" + reference + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest digest = Digest.sha256(bytes);
        Optional<String> claimed = r.header("Docker-Content-Digest");
        if (claimed.isPresent() && claimed.get().startsWith(Digest.PREFIX) && !claimed.get().equals(digest.toString())) {
            throw new RegistryException(0, "manifest " + repository + ":" + reference + " hashes to " + digest
                    + " but the registry says " + claimed.get());
        }
        if (reference.startsWith(Digest.PREFIX) && !reference.equals(digest.toString())) {
            throw new RegistryException(0, "manifest " + reference + " of " + repository + " hashes to " + digest);
        }
        String type = r.header("Content-Type").map(t -> t.split(";")[0].strip()).orElse("");
        return new Fetched(bytes, type, digest);
    }

    @Override
    public InputStream blob(String repository, Digest digest) throws IOException {
        return transport.get(repository, "/v2/" + repository + "/blobs/" + digest, "*/*").body();
    }

    /**
     * The same client, giving up on a registry that sends nothing for {@code idle} (default 60 s) while it
     * is waited for: before its answer (a connection error, tried again) or in the middle of a body (the read
     * fails with an {@link java.io.InterruptedIOException} that says so).
     */
    public RegistryClient withBodyIdleTimeout(Duration idle) {
        return new RegistryClient(transport.withReadTimeout(Objects.requireNonNull(idle, "idle")));
    }

    /**
     * The blob's size: from the registry's answer to a HEAD (no body bytes leave the registry), or,
     * where a HEAD gives no size (a registry redirecting to storage that signs only GETs), to a
     * one-byte Range request.
     */
    public long blobSize(String repository, Digest digest) throws IOException {
        try {
            Exchange.Answer h = transport.request("HEAD", repository, "/v2/" + repository + "/blobs/" + digest, "*/*", null);
            h.body().close();
            OptionalLong length = h.headerLong("Content-Length");
            if (h.statusCode() == 200 && length.isPresent() && length.getAsLong() >= 0) {
                return length.getAsLong();
            }
        } catch (FileNotFoundException notThere) {
            throw notThere;
        } catch (RegistryException noSize) {
            // asked again by GET below
        }
        Exchange.Answer r = transport.get(repository, "/v2/" + repository + "/blobs/" + digest, "*/*", "bytes=0-0");
        r.body().close();
        if (r.statusCode() == 206) {
            String range = r.header("Content-Range").orElse("");
            int slash = range.lastIndexOf('/');
            try {
                return Long.parseLong(range.substring(slash + 1).strip());
            } catch (RuntimeException e) {
                throw new RegistryException(206, "registry answered an unreadable Content-Range '" + range + "' for " + digest);
            }
        }
        return r.headerLong("Content-Length").orElseThrow(() ->
                new RegistryException(r.statusCode(), "registry gave no size for " + digest));
    }

    /**
     * The blob from byte {@code offset} to its end, for resuming a stream another node began: offset 0
     * is a plain GET; any other offset is a Range request that must be answered 206 from exactly there.
     */
    public InputStream blobFrom(String repository, Digest digest, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        if (offset == 0) {
            return blob(repository, digest);
        }
        Exchange.Answer r = transport.get(repository, "/v2/" + repository + "/blobs/" + digest, "*/*", "bytes=" + offset + "-");
        String contentRange = r.header("Content-Range").orElse("");
        if (r.statusCode() != 206 || !contentRange.startsWith("bytes " + offset + "-")) {
            r.body().close();
            throw new RegistryException(r.statusCode(), "registry did not resume " + digest + " at byte " + offset
                    + " (answered " + r.statusCode() + " '" + contentRange + "')");
        }
        return r.body();
    }

    /**
     * Bytes {@code [offset, offset+length)} of a blob by an HTTP Range request, for fetching only the
     * chunks nobody in the POP holds. The registry must answer 206 with exactly that range; a registry
     * that ignores Range (200 with the whole blob) is refused rather than read whole.
     */
    public byte[] blobRange(String repository, Digest digest, long offset, int length) throws IOException {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("range must have offset >= 0 and length >= 1");
        }
        long last = offset + length - 1;
        Exchange.Answer r = transport.get(repository, "/v2/" + repository + "/blobs/" + digest, "*/*",
                "bytes=" + offset + "-" + last);
        try (InputStream in = r.body()) {
            if (r.statusCode() != 206) {
                throw new RegistryException(r.statusCode(), "registry ignored the Range request for " + digest + " (answered "
                        + r.statusCode() + ")");
            }
            String contentRange = r.header("Content-Range").orElse("");
            if (!contentRange.startsWith("bytes " + offset + "-" + last + "/")) {
                throw new RegistryException(206, "registry answered range '" + contentRange + "' for bytes " + offset + "-" + last);
            }
            byte[] bytes = in.readNBytes(length + 1);
            if (bytes.length != length) {
                throw new RegistryException(206, "range of " + digest + " carried " + bytes.length + " bytes, expected " + length);
            }
            return bytes;
        }
    }

    @Override
    public List<Descriptor> referrers(String repository, Digest subject) throws IOException {
        try {
            Exchange.Answer r = transport.get(repository, "/v2/" + repository + "/referrers/" + subject, MediaTypes.OCI_INDEX);
            byte[] bytes;
            try (InputStream in = r.body()) {
                bytes = in.readNBytes(MAX_MANIFEST_BYTES);
            }
            return ImageSource.referrersIn(Optional.of(new Fetched(bytes, MediaTypes.OCI_INDEX, Digest.sha256(bytes))));
        } catch (FileNotFoundException e) {
            try {
                return ImageSource.referrersIn(Optional.of(manifest(repository, "sha256-" + subject.hex())));
            } catch (FileNotFoundException none) {
                return ImageSource.none();
            }
        }
    }
}
