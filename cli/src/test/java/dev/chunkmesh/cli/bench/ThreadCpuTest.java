package dev.chunkmesh.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void theJitCompilersCpuIsCountedBesideTheJavaThreadsOnLinux() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc/self/task here: the JVM's own threads are not listed");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] data = new byte[1 << 20];
        long deadline = System.nanoTime() + 2_000_000_000L;
        Map<String, Long> groups = ThreadCpu.byGroup();
        while (groups.getOrDefault("JIT compiler", 0L) == 0 && System.nanoTime() < deadline) {
            sha.update(data);
            groups = ThreadCpu.byGroup();
        }
        assertTrue(groups.getOrDefault("JIT compiler", 0L) > 0, "the compiler threads' CPU is listed: " + groups.keySet());
        assertTrue(groups.getOrDefault("main", 0L) > 0, "and the Java threads' CPU as before: " + groups.keySet());
    }
}
