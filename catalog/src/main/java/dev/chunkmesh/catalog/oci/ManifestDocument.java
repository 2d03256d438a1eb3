package dev.chunkmesh.catalog.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.store.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed manifest or index. Parsing reads only what the publisher needs and ignores the rest
 * (annotations and the like), but refuses documents whose descriptors are malformed.
 */
public sealed interface ManifestDocument {

    /** An image index or Docker manifest list: one manifest per platform (and possibly attestations). */
    record Index(List<Descriptor> manifests) implements ManifestDocument {}

    /** An image manifest: its config and layers, and the manifest it refers to if it is a referrer. */
    record Manifest(Descriptor config, List<Descriptor> layers, Optional<Descriptor> subject) implements ManifestDocument {
        /** The blobs a node needs for this manifest: the config, then the layers. */
        public List<Descriptor> blobs() {
            List<Descriptor> out = new ArrayList<>(layers.size() + 1);
            out.add(config);
            out.addAll(layers);
            return out;
        }
    }

    /**
     * Parses {@code bytes} as the given media type; when the media type is missing or generic, the
     * document's own {@code mediaType} field, or its shape, decides.
     *
     * @throws JsonFormatException if it is neither a manifest nor an index
     */
    static ManifestDocument parse(byte[] bytes, String mediaType) {
        JsonNode root = CanonicalJson.read(bytes, "manifest");
        if (!root.isObject()) {
            throw new JsonFormatException("a manifest must be a JSON object");
        }
        String type = mediaType;
        if (type == null || !(MediaTypes.isIndex(type) || MediaTypes.isManifest(type))) {
            type = root.path("mediaType").asText(root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
        }
        if (MediaTypes.isIndex(type)) {
            return new Index(descriptors(root.get("manifests"), "manifest.manifests"));
        }
        if (MediaTypes.isManifest(type)) {
            JsonNode subject = root.get("subject");
            return new Manifest(descriptor(root.get("config"), "manifest.config"), descriptors(root.get("layers"), "manifest.layers"),
                    subject == null || subject.isNull() ? Optional.empty() : Optional.of(descriptor(subject, "manifest.subject")));
        }
        throw new JsonFormatException("unsupported manifest media type '" + type + "'");
    }

    private static List<Descriptor> descriptors(JsonNode array, String path) {
        if (array == null || !array.isArray()) {
            throw new JsonFormatException(path + " must be an array");
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new JsonFormatException(path + " must be a descriptor object");
        }
        JsonNode mediaType = node.get("mediaType");
        JsonNode digest = node.get("digest");
        JsonNode size = node.get("size");
        if (mediaType == null || !mediaType.isTextual() || digest == null || !digest.isTextual()
                || size == null || !size.isIntegralNumber()) {
            throw new JsonFormatException(path + " needs mediaType, digest and size");
        }
        Digest d;
        try {
            d = Digest.parse(digest.textValue());
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(path + ".digest: " + e.getMessage(), e);
        }
        Optional<String> platform = Optional.empty();
        JsonNode p = node.get("platform");
        if (p != null && p.isObject() && p.path("os").isTextual() && p.path("architecture").isTextual()) {
            String os = p.get("os").textValue();
            String arch = p.get("architecture").textValue();
            if (!os.equals("unknown") && !arch.equals("unknown")) {
                String variant = p.path("variant").isTextual() ? "/" + p.get("variant").textValue() : "";
                platform = Optional.of(os + "/" + arch + variant);
            }
        }
        Optional<String> artifactType = node.path("artifactType").isTextual() ? Optional.of(node.get("artifactType").textValue())
                : Optional.empty();
        try {
            return new Descriptor(mediaType.textValue(), d, size.longValue(), platform, artifactType);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(path + ": " + e.getMessage(), e);
        }
    }
}
