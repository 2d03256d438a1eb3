package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.cli.CatalogVerifyCommand;
import dev.chunkmesh.cli.CliRun;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, publish from a real docker-registry, verify, publish the next release, diff: the operator's path. */
class CatalogPublishCommandTest {

    @TempDir
    Path dir;

    @Test
    void publishesVerifiesAndDiffsTwoReleasesFromARealRegistry() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("layout"));
            List<OciImages.File> files = OciImages.files(5, 30, 200_000);
            OciImages.Layer base = oci.layer(OciImages.files(6, 10, 200_000), OciImages.Compression.NONE);
            oci.tag("1.0", oci.manifest(List.of(base, oci.layer(files, OciImages.Compression.NONE)), "linux", "amd64"));
            oci.tag("1.1", oci.manifest(List.of(base, oci.layer(OciImages.edit(files, 3, 50), OciImages.Compression.NONE)), "linux", "amd64"));
            oci.push("1.0", registry, "team/app");
            oci.push("1.1", registry, "team/app");

            Path keys = dir.resolve("keys");
            assertEquals(0, CliRun.run("catalog", "keygen", "--out", keys.toString()).exitCode());
            String key = keys.resolve("catalog.key").toString();
            String trust = keys.resolve("catalog.pub").toString();
            Path c1 = dir.resolve("release-1.json");
            Path c2 = dir.resolve("release-2.json");

            CliRun p1 = CliRun.run("catalog", "publish", "--origin", registry.url().toString(), "--repo", "team/app", "--tag", "1.0",
                    "--key", key, "--out", c1.toString(), "--sequence", "1", "--expires-in", "P30D");
            assertEquals(0, p1.exitCode(), p1.err());
            assertTrue(p1.out().contains("catalog 1, 1 images, 3 blobs"), p1.out());

            CliRun p2 = CliRun.run("catalog", "publish", "--origin", registry.url().toString(), "--repo", "team/app", "--tag", "1.1",
                    "--key", key, "--out", c2.toString(), "--previous", c1.toString());
            assertEquals(0, p2.exitCode(), p2.err());
            assertTrue(p2.out().contains("catalog 2") && p2.out().contains("2 chunked now, 1 reused"), p2.out());

            Path state = dir.resolve("seen.json");
            assertEquals(0, CliRun.run("catalog", "verify", "--trust", trust, "--state", state.toString(), c1.toString()).exitCode());
            assertEquals(0, CliRun.run("catalog", "verify", "--trust", trust, "--state", state.toString(), c2.toString()).exitCode());
            assertEquals(CatalogVerifyCommand.REFUSED,
                    CliRun.run("catalog", "verify", "--trust", trust, "--state", state.toString(), c1.toString()).exitCode());

            CliRun diff = CliRun.run("catalog", "diff", "--json", c1.toString(), c2.toString());
            assertEquals(0, diff.exitCode(), diff.err());
            JsonNode total = new ObjectMapper().readTree(diff.out()).get("total");
            assertEquals(2, total.get("new_blobs").asInt());
            assertTrue(total.get("ratio").asDouble() < 0.05, diff.out());

            CliRun bad = CliRun.run("catalog", "publish", "--origin", registry.url().toString(), "--repo", "team/app", "--tag", "2.0",
                    "--key", key, "--out", dir.resolve("x.json").toString(), "--sequence", "3");
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.err().contains("not found"), bad.err());
        }
    }
}
