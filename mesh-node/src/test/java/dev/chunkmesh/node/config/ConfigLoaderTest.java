package dev.chunkmesh.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void embeddedDefaultsNeedNoSettingsAtAll() {
        NodeConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("node.name", "n1"));
        assertEquals("127.0.0.1", c.network().bind());
        assertEquals(List.of(7070, 5050, 7071, 5701), List.of(c.network().peerPort(), c.network().registryPort(), c.network().adminPort(),
                c.network().hazelcastPort()), "ports that do not clash");
        assertEquals("mesh-local", c.cluster().name());
        assertTrue(c.cluster().secret().length() >= 16, "a POP of one gets a random secret");
        assertEquals(10L << 30, c.store().capacityBytes());
        assertTrue(c.origin().url().isEmpty());
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile() throws Exception {
        Path f = yaml("""
                node:
                  name: from-file
                  pop: fra1
                network:
                  peer-port: 1111
                  admin-port: 2222
                  members: [10.0.0.1, "10.0.0.2:5702"]
                cluster:
                  secret: a-secret-of-enough-length
                store:
                  capacity: 200GiB
                pull:
                  lease-time: 4s
                """);
        NodeConfig c = ConfigLoader.load(Optional.of(f), Map.of("MESH_NETWORK_PEER_PORT", "3333", "MESH_NETWORK_ADMIN_PORT", "4444"),
                Map.of("network.admin-port", "5555"));
        assertEquals("from-file", c.node().name().name());
        assertEquals(3333, c.network().peerPort());
        assertEquals(5555, c.network().adminPort());
        assertEquals(List.of("10.0.0.1", "10.0.0.2:5702"), c.network().members());
        assertEquals(200L << 30, c.store().capacityBytes());
        assertEquals(Duration.ofSeconds(4), c.pull().leaseTime());
        assertEquals("mesh-fra1", c.cluster().name());
    }

    @Test
    void aStoreKeepsChunksRawByDefaultAndCanCompressThem() {
        assertFalse(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("node.name", "n1")).store().compress());
        assertTrue(ConfigLoader.load(Optional.empty(), Map.of("MESH_STORE_COMPRESS", "true"), Map.of("node.name", "n1")).store().compress());
    }

    @Test
    void aMicroHubJoinsItsParentsCluster() {
        NodeConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("node.name", "h1", "node.pop", "shop-12",
                "node.parent-pop", "fra1"));
        assertEquals(Tier.MICRO_HUB, c.node().tier());
        assertEquals("mesh-fra1", c.cluster().name());
    }

    @Test
    void aPopWithAnUpperTierNamesItsNodesAndASecretAndHasNoOriginOfItsOwn() {
        Map<String, String> base = Map.of("node.name", "e1", "node.pop", "edge-1", "cluster.secret", "0123456789abcdef0123",
                "tiers.upper", "region-1.example.net:7070, 10.1.0.2:7070");
        NodeConfig c = ConfigLoader.load(Optional.empty(), Map.of(), base);
        assertEquals(List.of("region-1.example.net:7070", "10.1.0.2:7070"), c.tiers().upper());
        ConfigException both = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                with(base, "origin.url", "https://registry.example.com")));
        assertTrue(both.getMessage().contains("never talks to the origin"), both.getMessage());
        ConfigException noPort = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                with(base, "tiers.upper", "region-1.example.net")));
        assertTrue(noPort.getMessage().startsWith("tiers.upper (flag): 'region-1.example.net' is not host:port"), noPort.getMessage());
        Map<String, String> noSecret = new HashMap<>(base);
        noSecret.remove("cluster.secret");
        ConfigException secret = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(), noSecret));
        assertTrue(secret.getMessage().contains("tiers.upper needs the secret its requests are signed with"), secret.getMessage());
        NodeConfig own = ConfigLoader.load(Optional.empty(), Map.of("MESH_TIERS_UPPER_SECRET", "region-secret-0123456789"), noSecret);
        assertEquals("region-secret-0123456789", own.tiers().upperSecret(), "a tier secret of its own, not the cluster's");
        assertTrue(!own.toString().contains("region-secret"), "and never printed");
        assertTrue(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("node.name", "n")).tiers().upper().isEmpty(), "a root tier by default");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void unknownSettingsAreRefusedNotIgnored() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(yaml("network:\n  peer_port: 1\n")),
                Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("unknown setting 'network.peer_port'"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("nope", "1")));
    }

    @Test
    void badValuesNameTheirKeyAndSource() {
        ConfigException port = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("MESH_NETWORK_ADMIN_PORT", "70000"), Map.of("node.name", "n")));
        assertTrue(port.getMessage().contains("network.admin-port (environment variable MESH_NETWORK_ADMIN_PORT)"), port.getMessage());
        ConfigException size = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("node.name", "n", "store.capacity", "lots")));
        assertTrue(size.getMessage().startsWith("store.capacity (flag)"), size.getMessage());
        ConfigException name = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("node.name", "Bad_Name")));
        assertTrue(name.getMessage().startsWith("node.name"), name.getMessage());
        ConfigException url = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("node.name", "n", "origin.url", "ftp://x")));
        assertTrue(url.getMessage().contains("origin.url"), url.getMessage());
    }

    @Test
    void aPopOfManyNeedsASharedSecret() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("node.name", "n", "network.members", "10.0.0.1,10.0.0.2")));
        assertTrue(e.getMessage().contains("cluster.secret is required"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("node.name", "n", "cluster.secret", "short")));
    }

    @Test
    void everyKeyHasHelpAndAnEnvironmentVariable() {
        ConfigKeys.ALL.values().forEach(k -> {
            assertTrue(!k.help().isBlank(), k.name());
            assertTrue(k.environmentVariable().matches("MESH_[A-Z0-9_]+"), k.environmentVariable());
        });
    }

    @Test
    void aMisspeltMeshVariableIsRefusedWithTheNameItProbablyMeant() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("MESH_NETWORK_PEER_PROT", "7000", "MESH_NODE_NAME", "n1"), Map.of()));
        assertTrue(e.getMessage().contains("MESH_NETWORK_PEER_PROT") && e.getMessage().contains("MESH_NETWORK_PEER_PORT"), e.getMessage());
    }

    @Test
    void variablesOfTheScriptsAndNamedPasswordVariablesAreNotSettingsAndAreAllowed() {
        NodeConfig c = ConfigLoader.load(Optional.empty(), Map.of("MESH_JAVA_OPTS", "-Xmx1g", "MESH_TOOLS", "/tmp", "MESH_MIRROR_PW", "pw",
                "PATH", "/bin"), Map.of("node.name", "n1", "origin.upstreams", "mirror.test=http://127.0.0.1:5000",
                "origin.upstream-credentials", "mirror.test=bob:MESH_MIRROR_PW"));
        assertEquals("pw", c.origin().upstreams().get("mirror.test").password().orElseThrow());
    }

    @Test
    void checkPrintsTheEffectiveSettingsAsYamlWithTheirSourcesAndNoSecret() throws Exception {
        String yaml = ConfigLoader.effectiveYaml(Optional.of(yaml("network:\n  peer-port: 1111\n")),
                Map.of("MESH_CLUSTER_SECRET", "a-very-secret-value-123"), Map.of("node.name", "n1", "network.members", "127.0.0.2"));
        assertTrue(yaml.contains("network:\n  bind: 127.0.0.1  # default\n"), yaml);
        assertTrue(yaml.contains("  peer-port: 1111  # " + dir.resolve("node.yaml")), yaml);
        assertTrue(yaml.contains("  name: n1  # flag"), yaml);
        assertTrue(yaml.contains("  secret: \"(set, hidden)\"  # environment variable MESH_CLUSTER_SECRET"), yaml);
        assertTrue(!yaml.contains("a-very-secret"), yaml);
        Map<?, ?> back = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(yaml, Map.class);
        assertEquals(1111, ((Map<?, ?>) back.get("network")).get("peer-port"), "the output reads back as a config file");
    }

    @Test
    void anAdminApiOffLoopbackWithoutATokenRefusesToStart() {
        for (String bind : List.of("0.0.0.0", "10.0.0.5", "::")) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                    Map.of("node.name", "n1", "network.admin-bind", bind)));
            assertTrue(e.getMessage().contains("network.admin-bind") && e.getMessage().contains("admin.token-file"), e.getMessage());
        }
    }

    @Test
    void theAdminApiStaysOnLoopbackWhenThePeersListenElsewhere() {
        String yaml = ConfigLoader.effectiveYaml(Optional.empty(), Map.of("MESH_CLUSTER_SECRET", "a-very-secret-value-123"),
                Map.of("node.name", "n1", "network.bind", "10.0.0.1", "network.members", "10.0.0.2"));
        assertTrue(yaml.contains("  admin-bind: 127.0.0.1  # default\n"), yaml);
        assertTrue(yaml.contains("  token-file: \"\"  # default\n"), yaml);
    }

    @Test
    void anAdminApiOffLoopbackStartsWithATokenThatNeverShowsInTheSettings() throws Exception {
        Path token = dir.resolve("admin-token");
        Files.writeString(token, "  admin-token-0123456789abcdef \n");
        String yaml = ConfigLoader.effectiveYaml(Optional.empty(), Map.of("MESH_NETWORK_ADMIN_BIND", "0.0.0.0"),
                Map.of("node.name", "n1", "admin.token-file", token.toString()));
        assertTrue(yaml.contains("  admin-bind: 0.0.0.0  # environment variable MESH_NETWORK_ADMIN_BIND\n"), yaml);
        assertTrue(yaml.contains("  token-file: " + token), yaml);
        assertTrue(!yaml.contains("admin-token-0123"), yaml);
    }

    @Test
    void aTokenFileThatIsMissingEmptyOrShortIsRefusedAtStart() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, " \n");
        Path shortToken = dir.resolve("short");
        Files.writeString(shortToken, "short-token\n");
        Path spaced = dir.resolve("spaced");
        Files.writeString(spaced, "admin token 0123456789abcdef\n");
        Map<Path, String> expected = Map.of(dir.resolve("missing"), "cannot read", empty, "is empty", shortToken, "at least 16 characters",
                spaced, "no spaces");
        expected.forEach((file, why) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), Map.of(),
                    Map.of("node.name", "n1", "admin.token-file", file.toString())));
            assertTrue(e.getMessage().contains("admin.token-file") && e.getMessage().contains(why), e.getMessage());
        });
    }
}
