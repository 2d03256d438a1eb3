package dev.chunkmesh.node.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image ({@code repository:tag}) each blob and manifest belongs to, as learnt from the manifests
 * and indexes served or pulled by tag, so the dashboard and status can name what a pull was for. A
 * blob shared by several images keeps the newest name. Holds the last {@value #LIMIT} names. Thread-safe.
 */
public final class ImageNames {
    static final int LIMIT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Digest, String> names = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, String> eldest) {
            return size() > LIMIT;
        }
    };

    /** Learns the names in a manifest or index served for {@code reference} (a tag or a digest) of {@code repository}. */
    public void served(String repository, String reference, ImageSource.Fetched manifest) {
        String name;
        synchronized (names) {
            name = reference.startsWith(Digest.PREFIX) ? names.get(manifest.digest()) : repository + ":" + reference;
            if (name == null) {
                name = repository + "@" + manifest.digest().toString().substring(0, 19);
            }
            names.put(manifest.digest(), name);
        }
        JsonNode root;
        try {
            root = JSON.readTree(manifest.bytes());
        } catch (IOException notJson) {
            return;
        }
        if (root == null) {
            return;
        }
        synchronized (names) {
            for (JsonNode m : root.path("manifests")) {
                put(m.path("digest").asText(""), name);
            }
            put(root.path("config").path("digest").asText(""), name);
            for (JsonNode layer : root.path("layers")) {
                put(layer.path("digest").asText(""), name);
            }
        }
    }

    /** Learns that {@code blobs} make up {@code repository:reference}, pulled through the admin API. */
    public void pulled(String repository, String reference, List<Digest> blobs) {
        String name = reference.startsWith(Digest.PREFIX) ? repository + "@" + reference.substring(0, Math.min(19, reference.length()))
                : repository + ":" + reference;
        synchronized (names) {
            blobs.forEach(b -> names.put(b, name));
        }
    }

    /** The image {@code digest} belongs to, if one was seen. */
    public Optional<String> of(Digest digest) {
        synchronized (names) {
            return Optional.ofNullable(names.get(digest));
        }
    }

    private void put(String digest, String name) {
        try {
            names.put(Digest.parse(digest), name);
        } catch (RuntimeException notADigest) {
            // a manifest is only advice here: a field that is not a digest names nothing
        }
    }
}
