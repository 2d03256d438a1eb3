package dev.chunkmesh.node.config;

import dev.chunkmesh.node.config.ConfigKeys.Key;
import dev.chunkmesh.node.config.ConfigKeys.Section;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The {@code cluster} and {@code tiers} sections, their keys and their readers, read together because they
 * share a secret: a POP that joins members or an upper tier needs {@code cluster.secret} (or a tier secret of
 * its own), a POP of one gets a random one, and the tier secrets default to it. Neither record has fixed
 * defaults (the cluster's name and secret depend on the node), so the keys hold them.
 */
final class ClusterSections {

    static final Section CLUSTER = Section.of("cluster",
            new Key("cluster.name", "", "Hazelcast cluster name, one per POP (default: mesh-<pop>, or mesh-<parent-pop> for a micro-hub)"),
            new Key("cluster.secret", "", "secret shared by the nodes of the mesh, at least 16 characters; required when members are given"),
            new Key("cluster.heartbeat-ttl", "5s", "a node silent for this long is taken for dead"),
            new Key("cluster.member-timeout", "15s",
                    "Hazelcast drops a member it has not heard from for this long (how soon a POP split is seen)"),
            new Key("cluster.merge-interval", "30s", "how often the halves of a split POP cluster look for each other to merge again"));

    static final Section TIERS = Section.of("tiers",
            new Key("tiers.upper", "", "peer API addresses (host:port, separated by commas) of the nodes of this POP's upper tier, a"
                    + " regional POP: what no node of this POP holds is taken from there, never from the origin (empty: a root tier, which"
                    + " uses origin.url)"),
            new Key("tiers.upper-secret", "", "secret this POP signs its requests to the upper tier with, the upper tier's"
                    + " tiers.lower-secret; at least 16 characters (default: cluster.secret; prefer MESH_TIERS_UPPER_SECRET)"),
            new Key("tiers.lower-secret", "", "secret the POPs below this one sign their requests with (their tiers.upper-secret); at"
                    + " least 16 characters (default: cluster.secret, which then must be shared with them; prefer MESH_TIERS_LOWER_SECRET)"));

    private ClusterSections() {
    }

    /**
     * {@code cluster.*}: the name defaults to {@code mesh-<pop>} (the parent POP's for a micro-hub).
     *
     * @param upperTier the POP's upper tier, from {@link #upperTier}
     */
    static NodeConfig.Cluster cluster(Settings s, NodeConfig.Node node, NodeConfig.Network network, List<String> upperTier) {
        String name = s.optional("cluster.name").orElse("mesh-" + node.parentPop().orElse(node.pop()).name());
        String secret = s.optional("cluster.secret").orElse("");
        if (secret.isEmpty()) {
            if (!network.members().isEmpty() || network.kubernetesServiceDns().isPresent()) {
                throw new ConfigException("cluster.secret is required when network.members or network.kubernetes-service-dns is given"
                        + " (nodes of a POP must share it)");
            }
            if (!upperTier.isEmpty() && s.optional("tiers.upper-secret").isEmpty()) {
                throw new ConfigException("tiers.upper needs the secret its requests are signed with: tiers.upper-secret (the upper"
                        + " tier's tiers.lower-secret), or a cluster.secret shared with the upper tier");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
        } else if (secret.length() < 16) {
            throw new ConfigException("cluster.secret (" + s.source("cluster.secret") + ") must have at least 16 characters");
        }
        return new NodeConfig.Cluster(name, secret, s.duration("cluster.heartbeat-ttl"), s.duration("cluster.member-timeout"),
                s.duration("cluster.merge-interval"));
    }

    /** {@code tiers.upper}: distinct {@code host:port} addresses of the upper tier's peer APIs. */
    static List<String> upperTier(Settings s) {
        List<String> nodes = s.list("tiers.upper");
        for (String n : nodes) {
            int colon = n.lastIndexOf(':');
            boolean ok = colon > 0 && n.substring(0, colon).matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]") && n.substring(colon + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(n.substring(colon + 1)) > 0 && Integer.parseInt(n.substring(colon + 1)) < 65536;
            if (!ok) {
                throw new ConfigException("tiers.upper (" + s.source("tiers.upper") + "): '" + n
                        + "' is not host:port of a node's peer API, e.g. region-1.example.net:7070");
            }
        }
        if (nodes.size() != Set.copyOf(nodes).size()) {
            throw new ConfigException("tiers.upper names a node twice: " + nodes);
        }
        return nodes;
    }

    /** {@code tiers.*}: each secret defaults to the cluster's. */
    static NodeConfig.Tiers tiers(Settings s, List<String> upperTier, String clusterSecret) {
        return new NodeConfig.Tiers(upperTier, tierSecret(s, "tiers.upper-secret", clusterSecret), tierSecret(s, "tiers.lower-secret", clusterSecret));
    }

    private static String tierSecret(Settings s, String key, String clusterSecret) {
        String secret = s.optional(key).orElse(clusterSecret);
        if (secret.length() < 16) {
            throw new ConfigException(key + " (" + s.source(key) + ") must have at least 16 characters");
        }
        return secret;
    }
}
