package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (a tmpfs of a given size) mounted for one test, so that the device
 * runs out of space for real. Needs permission to mount, as root has in CI; a test using it is
 * skipped with a message elsewhere.
 */
public final class TinyFileSystem implements AutoCloseable {

    private final Path mount;

    private TinyFileSystem(Path mount) {
        this.mount = mount;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) takes it, e.g. {@code 2m}) at {@code mount}. */
    public static TinyFileSystem mount(Path mount, String size) throws IOException, InterruptedException {
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): " + out.strip());
        return new TinyFileSystem(mount);
    }

    public Path path() {
        return mount;
    }

    /** Free bytes on the device now. */
    public long usableBytes() throws IOException {
        return Files.getFileStore(mount).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
}
