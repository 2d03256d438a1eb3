package dev.chunkmesh.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

    @Test
    void aMistypedKeyIsRefusedWhereItIsSetNamingTheClosestKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new NodeSettings().set("store.fsnyc", "false"));
        assertEquals("unknown setting 'store.fsnyc'; did you mean 'store.fsync'?", e.getMessage());
        assertThrows(ConfigException.class, () -> new NodeSettings().setAll(Map.of("pull.peer-windows", "8")));
    }

    @Test
    void typedSettingsAreTheFlagsTheConfigLoaderReads() {
        NodeSettings s = new NodeSettings().name("n1").secret("test-cluster-secret-0123456789").fsync(false).capacity("4MiB").uploadSlots(1).peerWindow(8).accessLog(false)
                .heartbeatTtl(Duration.ofSeconds(3)).stallTimeout(Duration.ofMillis(1500)).chunker(64, 256, 1024)
                .upstream("registry.test", URI.create("http://127.0.0.1:5000"));
        assertEquals("false", s.flags().get("store.fsync"));
        assertEquals("3s", s.flags().get("cluster.heartbeat-ttl"));
        assertEquals("1500ms", s.flags().get("pull.stall-timeout"));
        assertEquals("registry.test=http://127.0.0.1:5000", s.flags().get("origin.upstreams"));
        NodeConfig c = s.load();
        assertEquals(c, ConfigLoader.load(Optional.empty(), Map.of(), s.flags()), "the same as the string path");
        assertFalse(c.store().fsync());
        assertEquals(4L << 20, c.store().capacityBytes());
        assertEquals(1, c.pull().uploadSlots());
        assertEquals(8, c.pull().peerWindow());
        assertFalse(c.registry().accessLog());
        assertEquals(Duration.ofMillis(1500), c.pull().stallTimeout());
        assertEquals(List.of(64, 256, 1024), List.of(c.chunker().minSize(), c.chunker().avgSize(), c.chunker().maxSize()));
        assertTrue(c.origin().upstreams().containsKey("registry.test"));
    }

    @Test
    void aLocalMeshNodeListensOnItsOwnAddressWithFreePorts() {
        Map<String, String> flags = new LocalMesh("mesh-x", "test-cluster-secret-0123456789", List.of("127.0.0.2:5801"))
                .node("b", "127.0.0.2", "pop1", Optional.of("region"), 5801, Path.of("/tmp/b")).flags();
        assertEquals(Map.ofEntries(Map.entry("node.name", "b"), Map.entry("node.pop", "pop1"), Map.entry("node.parent-pop", "region"),
                Map.entry("network.bind", "127.0.0.2"), Map.entry("network.registry-bind", "127.0.0.2"),
                Map.entry("network.admin-bind", "127.0.0.2"), Map.entry("network.peer-port", "0"), Map.entry("network.admin-port", "0"),
                Map.entry("network.registry-port", "0"), Map.entry("network.hazelcast-port", "5801"),
                Map.entry("network.members", "127.0.0.2:5801"), Map.entry("cluster.name", "mesh-x"),
                Map.entry("cluster.secret", "test-cluster-secret-0123456789"), Map.entry("store.data", "/tmp/b")), flags);
    }

    @Test
    void aCopyAndTheFlagsAreNotChangedByLaterCalls() {
        NodeSettings s = new NodeSettings().capacity("1GiB");
        NodeSettings copy = s.copy();
        Map<String, String> flags = s.flags();
        s.capacity("2GiB");
        assertEquals("1GiB", copy.flags().get("store.capacity"));
        assertEquals("1GiB", flags.get("store.capacity"));
        assertThrows(UnsupportedOperationException.class, () -> flags.put("store.capacity", "3GiB"));
    }
}
