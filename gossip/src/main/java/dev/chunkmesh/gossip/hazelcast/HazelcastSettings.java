package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node's embedded Hazelcast member joins its POP's cluster: TCP-IP with an explicit member
 * list, multicast off, bound to one address (and nothing else), no phone-home, short join waits. Java
 * deserialization is limited to the JDK's, Hazelcast's and this package's classes (Hazelcast's filter, with its
 * list of known gadget classes refused), so a member that writes an object of any other library's class into
 * the POP's maps or topics gets it refused, never read.
 *
 * @param clusterName one per POP (and a unique one per test run)
 * @param bindAddress the only interface Hazelcast listens and talks on
 * @param port the member's port; no auto-increment, so a clash is an error rather than a surprise
 * @param members {@code host[:port]} of other members to join through
 * @param kubernetesServiceDns in Kubernetes: the headless Service whose DNS records list the POP's
 *     members; when given, members are found there (Hazelcast's DNS lookup mode, no API access) instead
 *     of in {@code members}
 */
public record HazelcastSettings(String clusterName, String bindAddress, int port, List<String> members,
                                Optional<String> kubernetesServiceDns) {

    /** Settings with an explicit member list (TCP-IP join). */
    public HazelcastSettings(String clusterName, String bindAddress, int port, List<String> members) {
        this(clusterName, bindAddress, port, members, Optional.empty());
    }

    public HazelcastSettings {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a Hazelcast cluster name is required (one per POP)");
        }
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Hazelcast port must be 1-65535, got " + port);
        }
        members = List.copyOf(members);
        Objects.requireNonNull(kubernetesServiceDns, "kubernetesServiceDns");
    }

    /** The Hazelcast configuration these settings stand for. */
    public Config toConfig(String instanceName) {
        Config c = new Config();
        c.setInstanceName(instanceName);
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.socket.bind.any", "false");
        // Bind and advertise exactly this address. It may be a loopback alias such as 127.0.0.2 that no
        // interface lists, so it is named directly rather than matched against interfaces.
        c.setProperty("hazelcast.local.localAddress", bindAddress);
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.getJetConfig().setEnabled(false);
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPackages(HazelcastSettings.class.getPackageName());
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(false);
        n.setPublicAddress(bindAddress + ":" + port);
        n.getRestApiConfig().setEnabled(false);
        JoinConfig join = n.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (kubernetesServiceDns.isPresent()) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", kubernetesServiceDns.get())
                    .setProperty("service-port", Integer.toString(port));
        } else {
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(members.isEmpty()
                    ? List.of(bindAddress + ":" + port) : members);
        }
        return c;
    }

    /**
     * Sets how fast {@code c} notices a member that fell silent without closing its connections (a cut
     * link sends no reset, a frozen process answers nothing): members beat every second, and one
     * silent for {@code memberTimeout} is dropped.
     */
    public static Config dropSilentMembersAfter(Config c, Duration memberTimeout) {
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(memberTimeout.toSeconds()));
        return c;
    }
}
