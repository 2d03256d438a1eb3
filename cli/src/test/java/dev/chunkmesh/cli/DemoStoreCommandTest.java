package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoStoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoIngestsTwoVersionsReassemblesExactlyAndCatchesTheCorruptChunk() {
        CliRun run = CliRun.run("demo", "store", "--data", dir.toString(), "--size", "8MiB");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("ingest layer v1"), out);
        assertTrue(out.contains("byte-exact"), out);
        assertTrue(out.contains("refused on read"), out);
        assertTrue(out.contains("store holds it: false"), out);
        assertTrue(out.matches("(?s).*delta v1 -> v2 +\\d+ new chunks.*"), out);
        assertTrue(Files.isDirectory(dir.resolve("store/corrupt")));
    }
}
