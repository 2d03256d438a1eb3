package dev.chunkmesh.cli.demo;

import dev.chunkmesh.registry.oci.OciLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's image, made from real files on this machine: a gzip layer of the running JDK's
 * {@code lib/} folder and an uncompressed layer of the mesh's own jars, each taken in name order up to
 * half the byte budget, written as an OCI image layout tagged {@code demo}.
 */
public final class DemoImage {
    private DemoImage() {
    }

    /** Writes the image into {@code dir}; returns its total blob bytes. */
    public static long write(Path dir, long budget) throws IOException {
        OciLayout layout = new OciLayout(dir);
        Path jdkLib = Path.of(System.getProperty("java.home"), "lib");
        Path jars = jarFolder();
        OciLayout.Layer runtime = layout.layer(files(jdkLib, "opt/jdk/lib/", budget / 2), OciLayout.Compression.GZIP);
        OciLayout.Layer app = layout.layer(files(jars, "opt/mesh/lib/", budget / 2), OciLayout.Compression.NONE);
        OciLayout.Blob manifest = layout.manifest(List.of(runtime, app), "linux", "amd64");
        layout.tag("demo", manifest);
        return runtime.blob().size() + app.blob().size() + manifest.size();
    }

    /**
     * The folder of the mesh's jars: {@code lib/} beside {@code mesh.jar} (or beside the classes folder
     * in a build), else the JDK's {@code lib/} again.
     */
    private static Path jarFolder() {
        try {
            Path here = Path.of(DemoImage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = here.getParent().resolve("lib");
            return Files.isDirectory(lib) ? lib : Path.of(System.getProperty("java.home"), "lib");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Regular files under {@code root} in name order, skipping any over 16 MiB, until {@code budget} bytes. */
    static List<OciLayout.File> files(Path root, String prefix, long budget) throws IOException {
        List<OciLayout.File> out = new ArrayList<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = prefix + root.relativize(p).toString().replace('\\', '/');
                long size = Files.size(p);
                if (size > 16L << 20 || name.length() > 100 || total + size > budget) {
                    continue;
                }
                try {
                    out.add(new OciLayout.File(name, Files.readAllBytes(p)));
                } catch (IOException unreadable) {
                    continue;
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                total += size;
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no files to build the demo image from under " + root);
        }
        return out;
    }
}
