package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.cli.bench.ChunkBench;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsOneLinePerChunkThatTilesTheFile() throws IOException {
        byte[] data = ChunkBench.input(3_000_000, "random");
        Path file = dir.resolve("blob");
        Files.write(file, data);
        CliRun run = CliRun.run("chunk", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.size() > 10);
        long expectedOffset = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            assertEquals(3, f.length, line);
            long offset = Long.parseLong(f[0]);
            int length = Integer.parseInt(f[1]);
            assertEquals(expectedOffset, offset);
            assertEquals(Digest.sha256(Arrays.copyOfRange(data, (int) offset, (int) offset + length)), Digest.parse(f[2]));
            expectedOffset += length;
        }
        assertEquals(data.length, expectedOffset);
    }

    @Test
    void honoursTheSizeOptions() throws IOException {
        Path file = dir.resolve("blob");
        Files.write(file, ChunkBench.input(1_000_000, "random"));
        CliRun run = CliRun.run("chunk", file.toString(), "--min", "1KiB", "--avg", "4KiB", "--max", "16KiB");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.size() > 150, "about 1 MB / 4 KiB chunks, got " + lines.size());
        for (String line : lines.subList(0, lines.size() - 1)) {
            int length = Integer.parseInt(line.split(" ")[1]);
            assertTrue(length >= 1024 && length <= 16384, line);
        }
    }

    @Test
    void anEmptyFileHasNoChunks() throws IOException {
        Path file = dir.resolve("empty");
        Files.write(file, new byte[0]);
        CliRun run = CliRun.run("chunk", file.toString());
        assertEquals(0, run.exitCode());
        assertEquals("", run.out());
    }

    @Test
    void aMissingFileIsAnErrorOnStderrOnly() {
        CliRun run = CliRun.run("chunk", dir.resolve("nope").toString());
        assertNotEquals(0, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void badSizesAreRefusedWithTheReason() throws IOException {
        Path file = dir.resolve("blob");
        Files.write(file, new byte[10]);
        CliRun run = CliRun.run("chunk", file.toString(), "--min", "100KiB", "--avg", "64KiB");
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("min <= avg <= max"), run.err());
        CliRun unit = CliRun.run("chunk", file.toString(), "--min", "16 furlongs");
        assertNotEquals(0, unit.exitCode());
        assertTrue(unit.err().contains("unknown unit"), unit.err());
    }
}
