package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.oci.MediaTypes;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images of {@link RuntimeMatrix}: built here from generated files in four kinds, pushed to the
 * origin, and read back from it as what a pull must end with.
 */
final class MatrixImages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kinds of image every runtime is tested with, each built and pushed its own way. */
    enum Kind {
        OCI("an OCI image"),
        DOCKER("a Docker v2 schema 2 image"),
        OCI_INDEX("an OCI image index (linux/amd64 + linux/arm64)"),
        DOCKER_LIST("a Docker manifest list (linux/amd64 + linux/arm64)");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        boolean multiPlatform() {
            return this == OCI_INDEX || this == DOCKER_LIST;
        }
    }

    /**
     * A pushed image and what a pull of it must end with, as the origin serves it: the tag's manifest
     * (an index or list for the multi-platform kinds) and, for the platform a runtime takes from it,
     * the platform's manifest, config, layers (compressed, as served) and diff_ids (uncompressed).
     */
    record Image(Kind kind, String repository, String tag, Digest digest, String mediaType, String platform,
                 Digest manifest, Digest config, List<Digest> layers, long layerBytes, List<Digest> diffIds,
                 List<Digest> otherPlatformBlobs) {

        /** {@code host/repository:tag}. */
        String ref(String host) {
            return host + "/" + repository + ":" + tag;
        }

        /** The config and layers of the chosen platform. */
        List<Digest> blobs() {
            List<Digest> all = new ArrayList<>(layers);
            all.add(0, config);
            return all;
        }

        String arch() {
            return platform.substring(platform.indexOf('/') + 1);
        }
    }

    private final Path dir;
    private final RegistryHarness registry;
    private final RegistryClient origin;

    /** Images built under {@code dir} and pushed to {@code registry}. */
    MatrixImages(Path dir, RegistryHarness registry) {
        this.dir = dir;
        this.registry = registry;
        this.origin = RegistryClient.of(registry.url(), Optional.empty());
    }

    /** The platform this machine's runtimes pick by default: {@code linux/amd64} or {@code linux/arm64}. */
    static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux/" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64");
    }

    /** The other platform of the two-platform images, which a runtime must be asked for explicitly. */
    static String otherPlatform() {
        return hostPlatform().equals("linux/amd64") ? "linux/arm64" : "linux/amd64";
    }

    /**
     * Builds an image of {@code kind} from files of {@code seed} (two gzip layers of about half a
     * megabyte per platform), pushes it to the origin as {@code library/<name>:v1}, and reads back what
     * a pull must end with. An OCI index is taken for this machine's platform (a runtime's default),
     * a Docker manifest list for the other one (asked for explicitly).
     */
    Image image(Kind kind, String name, long seed) throws Exception {
        OciImages oci = new OciImages(dir.resolve("images").resolve(name));
        String repository = "library/" + name;
        String tag = "v1";
        if (kind.multiPlatform()) {
            Map<OciImages.Blob, String> platforms = new LinkedHashMap<>();
            platforms.put(platformManifest(oci, seed, "amd64"), "linux/amd64");
            platforms.put(platformManifest(oci, seed + 500, "arm64"), "linux/arm64");
            oci.tag(tag, oci.index(platforms));
        } else {
            oci.tag(tag, platformManifest(oci, seed, hostPlatform().substring(6)));
        }
        switch (kind) {
            case OCI, OCI_INDEX -> oci.push(tag, registry, repository);
            case DOCKER -> oci.pushAsDockerSchema2(tag, registry, repository);
            case DOCKER_LIST -> oci.pushAsDockerManifestList(tag, registry, repository);
        }
        return expected(kind, repository, tag, kind == Kind.DOCKER_LIST ? otherPlatform() : hostPlatform());
    }

    private static OciImages.Blob platformManifest(OciImages oci, long seed, String arch) throws IOException {
        List<OciImages.Layer> layers = List.of(
                oci.layer(OciImages.files(seed, 5, 200_000), OciImages.Compression.GZIP),
                oci.layer(OciImages.files(seed + 1, 5, 200_000), OciImages.Compression.GZIP));
        return oci.manifest(layers, "linux", arch);
    }

    /** What the origin serves for {@code repository:tag}, with every manifest type accepted. */
    private Image expected(Kind kind, String repository, String tag, String platform) throws Exception {
        ImageSource.Fetched top = origin.manifest(repository, tag);
        String wantedType = switch (kind) {
            case OCI -> MediaTypes.OCI_MANIFEST;
            case DOCKER -> MediaTypes.DOCKER_MANIFEST;
            case OCI_INDEX -> MediaTypes.OCI_INDEX;
            case DOCKER_LIST -> MediaTypes.DOCKER_LIST;
        };
        assertEquals(wantedType, top.mediaType(), "the origin holds " + kind.description);
        ImageSource.Fetched chosen = top;
        List<Digest> others = new ArrayList<>();
        if (kind.multiPlatform()) {
            Digest pick = null;
            for (JsonNode m : JSON.readTree(top.bytes()).get("manifests")) {
                String p = m.get("platform").get("os").asText() + "/" + m.get("platform").get("architecture").asText();
                Digest d = Digest.parse(m.get("digest").asText());
                if (p.equals(platform)) {
                    pick = d;
                } else {
                    JsonNode other = JSON.readTree(origin.manifest(repository, d.toString()).bytes());
                    others.add(Digest.parse(other.get("config").get("digest").asText()));
                    other.get("layers").forEach(l -> others.add(Digest.parse(l.get("digest").asText())));
                }
            }
            chosen = origin.manifest(repository, pick.toString());
        }
        JsonNode manifest = JSON.readTree(chosen.bytes());
        Digest config = Digest.parse(manifest.get("config").get("digest").asText());
        List<Digest> layers = new ArrayList<>();
        long bytes = 0;
        for (JsonNode l : manifest.get("layers")) {
            layers.add(Digest.parse(l.get("digest").asText()));
            bytes += l.get("size").asLong();
        }
        JsonNode cfg;
        try (InputStream in = origin.blob(repository, config)) {
            cfg = JSON.readTree(in.readAllBytes());
        }
        assertEquals(platform.substring(platform.indexOf('/') + 1), cfg.get("architecture").asText());
        List<Digest> diffIds = new ArrayList<>();
        cfg.get("rootfs").get("diff_ids").forEach(d -> diffIds.add(Digest.parse(d.asText())));
        return new Image(kind, repository, tag, top.digest(), top.mediaType(), platform, chosen.digest(), config, layers, bytes,
                diffIds, others);
    }
}
