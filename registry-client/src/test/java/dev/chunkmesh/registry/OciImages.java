package dev.chunkmesh.registry;

import dev.chunkmesh.registry.oci.OciLayout;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test images: an {@link OciLayout} of generated files, pushed to a registry with skopeo, and an
 * SBOM referrer.
 */
public final class OciImages extends OciLayout {

    public OciImages(Path dir) throws IOException {
        super(dir);
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

    /** Pushes {@code tag} (with every platform) to {@code registry/repository:tag} with skopeo, digests preserved. */
    public void push(String tag, RegistryHarness registry, String repository) throws IOException, InterruptedException {
        skopeo("copy", "--all", "--quiet", "--dest-tls-verify=false", "--preserve-digests",
                "oci:" + dir() + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
    }

    /** {@link #push} to a registry that wants {@code user:password}. */
    public void push(String tag, RegistryHarness registry, String repository, String credentials) throws IOException, InterruptedException {
        skopeo("copy", "--all", "--quiet", "--dest-tls-verify=false", "--preserve-digests", "--dest-creds", credentials,
                "oci:" + dir() + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
    }

    /** Pushes {@code tag} converted by skopeo to a Docker v2 schema 2 manifest (gzip layers only). */
    public void pushAsDockerSchema2(String tag, RegistryHarness registry, String repository) throws IOException, InterruptedException {
        skopeo("copy", "--quiet", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + dir() + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
    }

    /**
     * Pushes {@code tag}, an OCI index, converted by skopeo to a Docker manifest list
     * ({@code application/vnd.docker.distribution.manifest.list.v2+json}) over Docker v2 schema 2
     * manifests (gzip layers only); the blobs keep their digests.
     */
    public void pushAsDockerManifestList(String tag, RegistryHarness registry, String repository) throws IOException, InterruptedException {
        skopeo("copy", "--all", "--quiet", "--dest-tls-verify=false", "--format", "v2s2",
                "oci:" + dir() + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag);
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
        SplittableRandom r = new SplittableRandom(seed);
        List<File> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = 1000 + r.nextInt(maxSize);
            byte[] content = r.nextInt(2) == 0 ? TestData.compressible(r.nextLong(), size)
                    : TestData.splitMix(r.nextLong(), size);
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
}
