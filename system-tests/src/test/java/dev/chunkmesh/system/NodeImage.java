package dev.chunkmesh.system;

import dev.chunkmesh.cli.MeshCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build context of a node container image made {@code FROM scratch}, since no base image can be
 * pulled: a Java runtime cut down by jlink from the JDK running the tests, the shared libraries that
 * runtime links against (found with ldd), the node's class path, and empty {@code /tmp} and
 * {@code /data}. The image's entry point is {@code mesh}, so a container runs {@code mesh node run ...}.
 */
final class NodeImage {

    private static final String MODULES = "java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.net";
    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+) \\(0x");

    private NodeImage() {}

    /** Writes the context (with its Dockerfile) under {@code dir} and returns it. */
    static Path context(Path dir) throws IOException, InterruptedException {
        Path root = dir.resolve("context");
        Path runtime = root.resolve("opt/java");
        Files.createDirectories(runtime.getParent());
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--compress=2", "--no-header-files", "--no-man-pages",
                "--output", runtime.toString()));
        Set<String> libs = sharedLibraries(runtime);
        libs.addAll(nativeLibrariesOfJars(dir.resolve("natives")));
        for (String lib : libs) {
            Path target = root.resolve(lib.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING); // the file a link names, under the link's name
        }
        List<String> classPath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                String name = String.format("%03d-%s", n++, p.getFileName());
                Files.createDirectories(root.resolve("opt/mesh/lib"));
                Files.copy(p, root.resolve("opt/mesh/lib").resolve(name));
                classPath.add("/opt/mesh/lib/" + name);
            } else if (Files.isDirectory(p)) {
                String name = String.format("opt/mesh/classes/%03d", n++);
                copyTree(p, root.resolve(name));
                classPath.add("/" + name);
            }
        }
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("data"));
        String entry = "[\"/opt/java/bin/java\", \"-Xmx384m\", \"-XX:+UseSerialGC\", \"-Djava.io.tmpdir=/tmp\","
                + " \"--add-opens\", \"java.base/java.lang=ALL-UNNAMED\", \"--add-opens\", \"java.base/sun.nio.ch=ALL-UNNAMED\","
                + " \"--add-opens\", \"java.management/sun.management=ALL-UNNAMED\","
                + " \"--add-opens\", \"jdk.management/com.sun.management.internal=ALL-UNNAMED\", \"-cp\", \""
                + String.join(":", classPath) + "\", \"" + MeshCommand.class.getName() + "\"]";
        Files.writeString(root.resolve("Dockerfile"), "FROM scratch\nCOPY . /\nENTRYPOINT " + entry + "\n");
        Files.writeString(root.resolve(".dockerignore"), "Dockerfile\n.dockerignore\n");
        return root;
    }

    /**
     * The system libraries that native code shipped inside class-path jars (zstd-jni's, for this
     * machine's architecture) links against: each is extracted under {@code scratch} and given to ldd.
     */
    private static Set<String> nativeLibrariesOfJars(Path scratch) throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch").equals("x86_64") ? "amd64" : System.getProperty("os.arch");
        Files.createDirectories(scratch);
        Set<String> libs = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : Collections.list(jar.entries())) {
                    if (e.getName().startsWith("linux/" + arch + "/") && e.getName().endsWith(".so")) {
                        Path so = scratch.resolve(Path.of(e.getName()).getFileName().toString());
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
                        }
                        libs.addAll(sharedLibraries(so));
                    }
                }
            }
        }
        return libs;
    }

    /**
     * Every shared library the executables and libraries under {@code runtime} (a folder or one
     * library) link against, with the loader.
     */
    private static Set<String> sharedLibraries(Path runtime) throws IOException, InterruptedException {
        Set<String> libs = new TreeSet<>();
        List<Path> elves = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runtime)) {
            files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> f.toString().endsWith(".so") || f.getParent().getFileName().toString().equals("bin"))
                    .forEach(elves::add);
        }
        for (Path elf : elves) {
            Matcher m = LDD_PATH.matcher(run(List.of("ldd", elf.toString())));
            while (m.find()) {
                if (!m.group(1).startsWith(runtime.toString())) {
                    libs.add(m.group(1));
                }
            }
        }
        return libs;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || (p.exitValue() != 0 && !cmd.get(0).equals("ldd"))) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
