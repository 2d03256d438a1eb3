package dev.chunkmesh.registry.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.chunkmesh.store.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes real OCI images into an OCI image layout folder: tar layers of given files (gzip,
 * uncompressed, or zstd with one independent frame per file), configs with correct diff_ids,
 * manifests, indexes and tags. Layers are built in memory.
 */
public class OciLayout {

    public enum Compression {
        GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
        NONE("application/vnd.oci.image.layer.v1.tar"),
        ZSTD_PER_FILE("application/vnd.oci.image.layer.v1.tar+zstd");

        public final String mediaType;

        Compression(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    public record File(String name, byte[] content) {}

    /** A blob written into the layout, with what a descriptor needs. */
    public record Blob(String mediaType, Digest digest, long size) {
        public Map<String, Object> descriptor() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", mediaType);
            m.put("digest", digest.toString());
            m.put("size", size);
            return m;
        }
    }

    protected static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final List<Map<String, Object>> refs = new ArrayList<>();

    public OciLayout(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    public Path dir() {
        return dir;
    }

    public Blob blob(String mediaType, byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        Files.write(dir.resolve("blobs/sha256/" + d.hex()), bytes);
        return new Blob(mediaType, d, bytes.length);
    }

    /** A layer of {@code files}, compressed as asked; returns it and the digest of its uncompressed tar. */
    public record Layer(Blob blob, Digest diffId) {}

    public Layer layer(List<File> files, Compression compression) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        ByteArrayOutputStream zstd = new ByteArrayOutputStream();
        for (File f : files) {
            byte[] entry = Tar.entry(f.name(), f.content());
            tar.writeBytes(entry);
            zstd.writeBytes(Zstd.compress(entry, 3));
        }
        byte[] end = new byte[1024];
        tar.writeBytes(end);
        zstd.writeBytes(Zstd.compress(end, 3));
        byte[] plain = tar.toByteArray();
        byte[] bytes = switch (compression) {
            case NONE -> plain;
            case GZIP -> gzip(plain);
            case ZSTD_PER_FILE -> zstd.toByteArray();
        };
        return new Layer(blob(compression.mediaType, bytes), Digest.sha256(plain));
    }

    /** A single-platform image manifest for these layers. */
    public Blob manifest(List<Layer> layers, String os, String arch) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", arch);
        config.put("os", os);
        config.put("rootfs", Map.of("type", "layers", "diff_ids", layers.stream().map(l -> l.diffId().toString()).toList()));
        config.put("config", Map.of());
        Blob cfg = blob("application/vnd.oci.image.config.v1+json", JSON.writeValueAsBytes(config));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("config", cfg.descriptor());
        m.put("layers", layers.stream().map(l -> l.blob().descriptor()).toList());
        return blob("application/vnd.oci.image.manifest.v1+json", JSON.writeValueAsBytes(m));
    }

    /** An image index over platform manifests, given as (manifest, "os/arch"). */
    public Blob index(Map<Blob, String> manifests) throws IOException {
        List<Object> entries = new ArrayList<>();
        manifests.forEach((m, platform) -> {
            Map<String, Object> d = m.descriptor();
            String[] p = platform.split("/");
            d.put("platform", Map.of("os", p[0], "architecture", p[1]));
            entries.add(d);
        });
        Map<String, Object> index = Map.of("schemaVersion", 2, "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", entries);
        return blob("application/vnd.oci.image.index.v1+json", JSON.writeValueAsBytes(index));
    }

    /** Names {@code target} (a manifest or index) {@code tag} in the layout's index.json. */
    public void tag(String tag, Blob target) throws IOException {
        Map<String, Object> d = target.descriptor();
        d.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        refs.add(d);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", refs)));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
