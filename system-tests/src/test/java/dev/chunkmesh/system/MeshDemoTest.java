package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.Hazelcast;
import dev.chunkmesh.cli.CliRun;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh demo --once --json}: the main job end to end, with the built-in origin and with a registry the user names. */
class MeshDemoTest {

    @TempDir
    Path dir;

    @Test
    void theDemoPullsThroughEveryNodeTakingEachByteFromTheOriginOnceAndLeavesNothingRunning() throws Exception {
        CliRun run = CliRun.run("demo", "--once", "--json", "--image-size", "8MiB", "--data", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode doc = new ObjectMapper().readTree(run.out());
        JsonNode nodes = doc.get("nodes");
        assertEquals(4, nodes.size());
        long image = total(nodes.get(0).get("bytes"));
        assertTrue(image > 1_000_000, run.out());
        assertEquals(image, nodes.get(0).get("bytes").get("origin").asLong(), "the first node's pull came from the origin");
        for (int i = 1; i < 3; i++) {
            assertTrue(nodes.get(i).get("bytes").get("peer").asLong() >= 0.99 * image, nodes.get(i).toString());
        }
        assertEquals("micro-hub", nodes.get(3).get("tier").asText());
        assertTrue(nodes.get(3).get("bytes").get("parent").asLong() >= 0.99 * image, nodes.get(3).toString());
        long sent = doc.get("origin_bytes_sent").asLong();
        assertTrue(sent >= image && sent <= image + 16, "the origin sent each byte once (plus one-byte size probes): " + sent);
        assertNothingRunning(nodes);
    }

    @Test
    void theDemoUsesARegistryTheUserNames() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(61, 10, 300_000), OciImages.Compression.GZIP)), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            CliRun run = CliRun.run("demo", "--once", "--json", "--origin", registry.url().toString(), "--image", "team/app:v1",
                    "--data", dir.resolve("demo").toString());
            assertEquals(0, run.exitCode(), run.err());
            JsonNode nodes = new ObjectMapper().readTree(run.out()).get("nodes");
            long image = total(nodes.get(0).get("bytes"));
            assertEquals(image, nodes.get(0).get("bytes").get("origin").asLong());
            assertTrue(nodes.get(1).get("bytes").get("peer").asLong() >= 0.99 * image);
            assertNothingRunning(nodes);
        }
        CliRun half = CliRun.run("demo", "--once", "--origin", "http://127.0.0.1:1");
        assertEquals(1, half.exitCode());
        assertTrue(half.err().contains("--origin and --image go together"), half.err());
    }

    private static long total(JsonNode bytes) {
        long n = 0;
        for (JsonNode v : bytes) {
            n += v.asLong();
        }
        return n;
    }

    private static void assertNothingRunning(JsonNode nodes) {
        assertTrue(Hazelcast.getAllHazelcastInstances().isEmpty(), "every Hazelcast member stopped");
        for (JsonNode n : nodes) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(n.get("status_url").asText())).build();
            assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()),
                    "nothing listens any more at " + n.get("status_url"));
        }
    }
}
