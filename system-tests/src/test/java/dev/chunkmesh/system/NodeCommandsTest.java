package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chunkmesh.cli.CliRun;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.config.LocalMesh;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's commands against two real nodes and a real docker-registry: pull cold, pull warm,
 * prefetch the next release from a signed catalog (only its new chunks come from the origin), status;
 * the second node's admin API has a token, which the commands send from {@code --token-file}.
 */
class NodeCommandsTest {

    @TempDir
    Path dir;

    @Test
    void pullPrefetchAndStatusThroughTheAdminApi() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("layout"));
            List<OciImages.File> files = OciImages.files(21, 30, 200_000);
            OciImages.Layer base = oci.layer(OciImages.files(22, 10, 200_000), OciImages.Compression.NONE);
            OciImages.Layer changed = oci.layer(OciImages.edit(files, 3, 50), OciImages.Compression.NONE);
            oci.tag("1.0", oci.manifest(List.of(base, oci.layer(files, OciImages.Compression.NONE)), "linux", "amd64"));
            oci.tag("1.1", oci.manifest(List.of(base, changed), "linux", "amd64"));
            oci.push("1.0", registry, "team/app");
            oci.push("1.1", registry, "team/app");
            Path keys = dir.resolve("keys");
            assertEquals(0, CliRun.run("catalog", "keygen", "--out", keys.toString()).exitCode());
            Path release = dir.resolve("release-2.json");
            assertEquals(0, CliRun.run("catalog", "publish", "--origin", registry.url().toString(), "--repo", "team/app", "--tag", "1.1",
                    "--key", keys.resolve("catalog.key").toString(), "--out", release.toString(), "--sequence", "2").exitCode());

            String cluster = "mesh-test-" + UUID.randomUUID();
            int pa = LocalMesh.freePort("127.0.0.1");
            int pb = LocalMesh.freePort("127.0.0.2");
            String members = "127.0.0.1:" + pa + ",127.0.0.2:" + pb;
            Path token = dir.resolve("admin-token");
            Files.writeString(token, "b-admin-token-0123456789abcdef\n");
            try (MeshNode a = node("a", "127.0.0.1", pa, members, cluster, registry, new NodeSettings());
                 MeshNode b = node("b", "127.0.0.2", pb, members, cluster, registry, new NodeSettings()
                         .trustedKeys(keys.resolve("catalog.pub")).adminTokenFile(token))) {
                CliRun cold = CliRun.run("pull", "--node", a.adminUrl(), "--json", "team/app:1.0");
                assertEquals(0, cold.exitCode(), cold.err());
                JsonNode coldBytes = new ObjectMapper().readTree(cold.out()).get("bytes");
                assertTrue(coldBytes.get("origin").asLong() > 1_000_000, cold.out());

                CliRun warm = CliRun.run("pull", "--node", b.adminUrl(), "--token-file", token.toString(), "team/app:1.0");
                assertEquals(0, warm.exitCode(), warm.err());
                assertTrue(warm.out().contains("pulled team/app:1.0: 3 blobs"), warm.out());
                assertTrue(warm.out().matches("(?s).*peer\\s+[0-9.]+ MiB\\s+100\\.0 %.*"), warm.out());

                CliRun prefetch = CliRun.run("prefetch", "--node", b.adminUrl(), "--token-file", token.toString(), "--catalog",
                        release.toString(), "--json");
                assertEquals(0, prefetch.exitCode(), prefetch.err());
                JsonNode delta = new ObjectMapper().readTree(prefetch.out()).get("bytes");
                assertTrue(delta.get("origin").asLong() < changed.blob().size() / 10,
                        "only the new chunks of the changed layer came from the origin: " + delta);

                CliRun noToken = CliRun.run("status", "--node", b.adminUrl());
                assertEquals(1, noToken.exitCode());
                assertTrue(noToken.err().contains("401") && noToken.err().contains("--token-file"), noToken.err());

                CliRun status = CliRun.run("status", "--node", b.adminUrl(), "--token-file", token.toString());
                assertEquals(0, status.exitCode(), status.err());
                assertTrue(status.out().contains("node b (pop in pop1), joined: true"), status.out());
                assertTrue(status.out().matches("(?s).*\\na\\s+pop1\\s+pop\\s+127\\.0\\.0\\.1:.*"), status.out());

                CliRun untrusted = CliRun.run("prefetch", "--node", a.adminUrl(), "--catalog", release.toString());
                assertEquals(1, untrusted.exitCode());
                assertTrue(untrusted.err().contains("trusts no catalog keys"), untrusted.err());

                CliRun missing = CliRun.run("pull", "--node", a.adminUrl(), "team/app:9.9");
                assertEquals(1, missing.exitCode());
                assertTrue(missing.err().contains("not found"), missing.err());
            }
        }
    }

    private MeshNode node(String name, String address, int hazelcastPort, String members, String cluster, RegistryHarness registry,
                          NodeSettings extra) throws Exception {
        return MeshNode.start(new LocalMesh(cluster, "cli-test-secret-0123456789", List.of(members.split(",")))
                .node(name, address, "pop1", Optional.empty(), hazelcastPort, dir.resolve(name)).origin(registry.url()).setAll(extra).load());
    }
}
