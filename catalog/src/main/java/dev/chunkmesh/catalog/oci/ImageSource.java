package dev.chunkmesh.catalog.oci;

import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where the publisher reads images from: an OCI distribution registry in production, an in-memory
 * fake in unit tests. Implementations verify that a manifest fetched by digest has that digest.
 */
public interface ImageSource {

    /** A manifest or index as served: its exact bytes, media type and digest. */
    record Fetched(byte[] bytes, String mediaType, Digest digest) {}

    /**
     * The manifest or index that {@code reference} (a tag or a digest) names in {@code repository}.
     *
     * @throws java.io.FileNotFoundException if the registry does not have it
     */
    Fetched manifest(String repository, String reference) throws IOException;

    /** The blob's bytes as a stream; the caller verifies the digest while reading. */
    InputStream blob(String repository, Digest digest) throws IOException;

    /**
     * Manifests that refer to {@code subject} (signatures, SBOMs, attestations): the referrers API,
     * or its tag fallback {@code sha256-<hex>}. Empty when the registry has none or supports neither.
     */
    List<Descriptor> referrers(String repository, Digest subject) throws IOException;

    /** A referrers list whose absence is normal. */
    static List<Descriptor> none() {
        return List.of();
    }

    /** Helper for implementations: the referrer descriptors of an index document, if it is one. */
    static List<Descriptor> referrersIn(Optional<Fetched> index) {
        if (index.isEmpty()) {
            return none();
        }
        ManifestDocument doc = ManifestDocument.parse(index.get().bytes(), index.get().mediaType());
        return doc instanceof ManifestDocument.Index i ? i.manifests() : none();
    }
}
