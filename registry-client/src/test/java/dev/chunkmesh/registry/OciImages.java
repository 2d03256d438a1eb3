package dev.chunkmesh.registry;

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
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Builds real OCI images for tests: tar layers of generated files (gzip, uncompressed, or zstd with
 * one independent frame per file), configs with correct diff_ids, manifests and indexes, written as
 * an OCI image layout and pushed to a registry with skopeo.
 */
public final class OciImages {

    public enum Compression {
        GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
        NONE("application/vnd.oci.image.layer.v1.tar"),
        ZSTD_PER_FILE("application/vnd.oci.image.layer.v1.tar+zstd");

        final String mediaType;

        Compression(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    public record File(String name, byte[] content) {}

    /** A blob written into the layout, with what a descriptor needs. */
    public record Blob(String mediaType, Digest digest, long size) {
        Map<String, Object> descriptor() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", mediaType);
            m.put("digest", digest.toString());
            m.put("size", size);
            return m;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final List<Map<String, Object>> refs = new ArrayList<>();

    public OciImages(Path dir) throws IOException {
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

    /**
     * An SBOM referring to {@code subject}, published the way registries without the referrers API
     * hold referrers: an index tagged {@code sha256-<subject hex>} listing the artifact manifest.
     * Returns the SBOM blob; the caller pushes the returned tag.
     */
    public Blob sbomFor(Blob subject, byte[] sbom) throws IOException {
        Blob empty = blob("application/vnd.oci.empty.v1+json", "{}".getBytes());
        Blob doc = blob("application/spdx+json", sbom);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("artifactType", "application/spdx+json");
        m.put("config", empty.descriptor());
        m.put("layers", List.of(doc.descriptor()));
        m.put("subject", subject.descriptor());
        Blob manifest = blob("application/vnd.oci.image.manifest.v1+json", JSON.writeValueAsBytes(m));
        Map<String, Object> entry = manifest.descriptor();
        Blob index = blob("application/vnd.oci.image.index.v1+json", JSON.writeValueAsBytes(
                Map.of("schemaVersion", 2, "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", List.of(entry))));
        tag("sha256-" + subject.digest().hex(), index);
        return doc;
    }

    /** Names {@code target} (a manifest or index) {@code tag} in the layout's index.json. */
    public void tag(String tag, Blob target) throws IOException {
        Map<String, Object> d = target.descriptor();
        d.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        refs.add(d);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", refs)));
    }

    /** Pushes {@code tag} (with every platform) to {@code registry/repository:tag} with skopeo, digests preserved. */
    public void push(String tag, RegistryHarness registry, String repository) throws IOException, InterruptedException {
        skopeo("copy", "--all", "--quiet", "--dest-tls-verify=false", "--preserve-digests",
                "oci:" + dir + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
    }

    /** Pushes {@code tag} converted by skopeo to a Docker v2 schema 2 manifest (gzip layers only). */
    public void pushAsDockerSchema2(String tag, RegistryHarness registry, String repository) throws IOException, InterruptedException {
        skopeo("copy", "--quiet", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + dir + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
    }

    private static void skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("skopeo copy failed: " + out);
        }
    }

    /** Generated files: text-like and binary, of varied sizes; {@code seed} picks the set. */
    public static List<File> files(long seed, int count, int maxSize) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<File> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = 1000 + r.nextInt(maxSize);
            byte[] content = r.nextInt(2) == 0 ? dev.chunkmesh.store.TestData.compressible(r.nextLong(), size)
                    : dev.chunkmesh.store.TestData.splitMix(r.nextLong(), size);
            out.add(new File("usr/lib/app/file-" + seed + "-" + i + ".bin", content));
        }
        return out;
    }

    /** {@code files} with {@code bytes} bytes changed in the middle of file {@code index}. */
    public static List<File> edit(List<File> files, int index, int bytes) {
        List<File> out = new ArrayList<>(files);
        byte[] c = files.get(index).content().clone();
        for (int i = c.length / 2; i < c.length / 2 + bytes && i < c.length; i++) {
            c[i] ^= 0x5a;
        }
        out.set(index, new File(files.get(index).name(), c));
        return out;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
