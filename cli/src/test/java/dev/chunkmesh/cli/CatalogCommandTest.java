package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.TestCatalogs;
import dev.chunkmesh.catalog.sign.KeyFiles;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCommandTest {

    @TempDir
    Path dir;
    private Path keys;
    private Path state;

    @BeforeEach
    void keygen() {
        keys = dir.resolve("keys");
        state = dir.resolve("seen.json");
        CliRun run = CliRun.run("catalog", "keygen", "--out", keys.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("key id sha256:"), run.out());
    }

    private Path write(String name, long sequence, byte[] layer, Optional<Instant> expires) throws IOException {
        Catalog c = TestCatalogs.single(sequence, "library/app", "v" + sequence, List.of(layer, TestData.splitMix(50, 30_000)), expires);
        Path file = dir.resolve(name);
        Files.write(file, SignedCatalog.sign(c, List.of(KeyFiles.readPrivate(keys.resolve("catalog.key")))));
        return file;
    }

    private CliRun verify(Path file, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("catalog", "verify", "--trust", keys.resolve("catalog.pub").toString(),
                "--state", state.toString(), file.toString()));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void verifyPrintsOneLineForAValidCatalog() throws IOException {
        CliRun run = verify(write("c1.json", 1, TestData.splitMix(1, 100_000), Optional.empty()));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("valid: catalog 1, 1 images, 3 blobs"), run.out());
    }

    @Test
    void verifyNamesTheReasonOfARefusal() throws IOException {
        Path c5 = write("c5.json", 5, TestData.splitMix(1, 100_000), Optional.empty());
        assertEquals(0, verify(c5).exitCode());

        Path c3 = write("c3.json", 3, TestData.splitMix(1, 100_000), Optional.empty());
        CliRun rollback = verify(c3);
        assertEquals(CatalogVerifyCommand.REFUSED, rollback.exitCode());
        assertTrue(rollback.err().contains("refused (rollback)"), rollback.err());
        assertEquals(0, verify(c3, "--allow-rollback-to", "3").exitCode());

        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, Files.readString(c5).replace("\"tag\":\"v5\"", "\"tag\":\"v6\""));
        CliRun t = verify(tampered);
        assertEquals(CatalogVerifyCommand.REFUSED, t.exitCode());
        assertTrue(t.err().contains("refused (tampered)"), t.err());

        Path expired = dir.resolve("expired.json");
        Catalog stale = TestCatalogs.single(9, "library/app", "v9", List.of(TestData.splitMix(1, 1000)),
                Optional.of(Instant.parse("2026-11-01T00:00:01Z")));
        Files.write(expired, SignedCatalog.sign(stale, List.of(KeyFiles.readPrivate(keys.resolve("catalog.key")))));
        CliRun e = verify(expired);
        assertEquals(CatalogVerifyCommand.REFUSED, e.exitCode());
        assertTrue(e.err().contains("refused (expired)"), e.err());
    }

    @Test
    void verifyRefusesACatalogSignedByAnotherKey() throws IOException {
        Path other = dir.resolve("other");
        assertEquals(0, CliRun.run("catalog", "keygen", "--out", other.toString()).exitCode());
        Catalog c = TestCatalogs.single(1, "library/app", "v1", List.of(TestData.splitMix(1, 1000)), Optional.empty());
        Path file = dir.resolve("foreign.json");
        Files.write(file, SignedCatalog.sign(c, List.of(KeyFiles.readPrivate(other.resolve("catalog.key")))));
        CliRun run = verify(file);
        assertEquals(CatalogVerifyCommand.REFUSED, run.exitCode());
        assertTrue(run.err().contains("refused (untrusted key)"), run.err());
    }

    @Test
    void diffReportsNewChunksAsATableAndAsJson() throws IOException {
        byte[] v1 = TestData.splitMix(7, 300_000);
        byte[] v2 = v1.clone();
        v2[150_000] ^= 1;
        Path a = write("a.json", 1, v1, Optional.empty());
        Path b = write("b.json", 2, v2, Optional.empty());
        CliRun table = CliRun.run("catalog", "diff", a.toString(), b.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("library/app:v2"), table.out());
        assertTrue(table.out().contains("total (shared chunks once)"), table.out());

        CliRun json = CliRun.run("catalog", "diff", "--json", "--trust", keys.resolve("catalog.pub").toString(), a.toString(), b.toString());
        assertEquals(0, json.exitCode(), json.err());
        JsonNode total = new ObjectMapper().readTree(json.out()).get("total");
        assertEquals(2, total.get("new_blobs").asInt(), json.out());
        assertTrue(total.get("new_chunks").asInt() <= 3, json.out());
        assertTrue(total.get("new_bytes").asLong() < 50_000, json.out());
        assertTrue(total.get("ratio").asDouble() < 0.2, json.out());
    }
}
