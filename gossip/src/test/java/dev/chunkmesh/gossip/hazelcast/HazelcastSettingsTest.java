package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HazelcastSettingsTest {

    @Test
    void anExplicitMemberListJoinsByTcpIpOnlyOnTheBoundAddress() {
        Config c = new HazelcastSettings("mesh-fra1", "10.0.0.11", 5701, List.of("10.0.0.12:5701")).toConfig("n");
        JoinConfig j = c.getNetworkConfig().getJoin();
        assertTrue(j.getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.12:5701"), j.getTcpIpConfig().getMembers());
        assertFalse(j.getMulticastConfig().isEnabled(), "never multicast");
        assertFalse(j.getAutoDetectionConfig().isEnabled());
        assertFalse(j.getKubernetesConfig().isEnabled());
        assertEquals("10.0.0.11", c.getProperty("hazelcast.local.localAddress"));
        assertEquals("false", c.getProperty("hazelcast.socket.bind.any"));
    }

    @Test
    void inKubernetesMembersComeFromTheHeadlessServicesDnsRecords() {
        Config c = new HazelcastSettings("mesh-fra1", "10.1.2.3", 5701, List.of(), Optional.of("mesh-hz.mesh.svc.cluster.local"))
                .toConfig("n");
        JoinConfig j = c.getNetworkConfig().getJoin();
        assertTrue(j.getKubernetesConfig().isEnabled());
        assertEquals("mesh-hz.mesh.svc.cluster.local", j.getKubernetesConfig().getProperty("service-dns"));
        assertEquals("5701", j.getKubernetesConfig().getProperty("service-port"));
        assertFalse(j.getTcpIpConfig().isEnabled());
        assertFalse(j.getMulticastConfig().isEnabled());
    }

    @Test
    void aClusterNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> new HazelcastSettings(" ", "127.0.0.1", 5701, List.of()));
    }
}
