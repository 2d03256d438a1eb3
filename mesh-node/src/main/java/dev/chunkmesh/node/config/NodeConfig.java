package dev.chunkmesh.node.config;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.gossip.Tier;
import dev.chunkmesh.node.admin.AdminToken;
import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Everything a node is told at start, as one immutable tree whose parts match the YAML sections
 * (and the Helm chart's values): {@code node}, {@code network}, {@code cluster}, {@code store},
 * {@code origin}, {@code pull}, {@code chunker}, {@code catalog}, {@code registry}, {@code tls}, {@code admin},
 * {@code tiers}. A section is a nested record named after it ({@code origin} is {@link Origins}: the default origin and
 * the named upstreams) or its component's own record ({@link PullSettings}, {@link ChunkerParams}, {@link TlsFiles});
 * {@code catalog} is its one key, {@code trustedKeys}.
 * A section record with fixed defaults has them as {@code DEFAULTS} ({@link Store#DEFAULTS}, {@link PullSettings#DEFAULTS},
 * {@link ChunkerParams#DEFAULTS}...): its keys' defaults are that value as text. The keys themselves, with their help, are
 * declared beside the method that reads the section ({@link Sections}, {@link ClusterSections}, {@link OriginSection});
 * {@link ConfigKeys} gathers them. {@link ConfigLoader} builds this from defaults, a file, the environment and flags.
 */
public record NodeConfig(Node node, Network network, Cluster cluster, Store store, Origins origin, Registry registry,
                         PullSettings pull, ChunkerParams chunker, Optional<Path> trustedKeys, Optional<TlsFiles> tls, Admin admin,
                         Tiers tiers) {

    /** Refuses an admin API off loopback with no token: anyone who reached it could pull with the node's origin credentials. */
    public NodeConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(tiers, "tiers");
        if (!tiers.upper().isEmpty() && (origin.url().isPresent() || !origin.upstreams().isEmpty())) {
            throw new ConfigException("tiers.upper and origin.url/origin.upstreams exclude each other: a POP with an upper tier takes"
                    + " everything its own nodes lack from there and never talks to the origin (only the root tier does)");
        }
        if (admin.token().isEmpty() && !loopback(network.adminBind())) {
            throw new ConfigException("network.admin-bind is " + network.adminBind() + ", not a loopback address, and admin.token-file is"
                    + " not set: give the admin API a token (admin.token-file, a file holding 16+ characters, e.g. from"
                    + " 'openssl rand -hex 24'), or keep network.admin-bind on 127.0.0.1");
        }
    }

    /** Whether {@code host} is a loopback address; a host name other than localhost counts as not (it is never looked up here). */
    static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The {@code node} section: who the node is, its name, POP and, for a micro-hub, the parent POP. */
    public record Node(NodeId name, PopId pop, Optional<PopId> parentPop) {
        public Tier tier() {
            return parentPop.isPresent() ? Tier.MICRO_HUB : Tier.POP;
        }
    }

    /**
     * The {@code network} section: where the node listens. Port 0 takes any free port (tests).
     *
     * @param bind the node's private address: peer API and Hazelcast listen only here
     * @param adminBind the admin API's address; loopback unless the node has an admin token
     * @param members Hazelcast members to join through, {@code host[:port]}; empty for a POP of one
     * @param kubernetesServiceDns in Kubernetes, the headless Service listing the POP's members instead
     * @param limits the time bounds of every HTTP server of the node
     */
    public record Network(String bind, String adminBind, int peerPort, int registryPort, int adminPort, int hazelcastPort, List<String> members,
                          Optional<String> kubernetesServiceDns, ServerLimits limits) {
        /** Everything on loopback: peer 7070, registry 5050, admin 7071, Hazelcast 5701; a POP of one; the default limits. */
        public static final Network DEFAULTS = new Network("127.0.0.1", "127.0.0.1", 7070, 5050, 7071, 5701, List.of(), Optional.empty(),
                ServerLimits.DEFAULTS);

        public Network {
            members = List.copyOf(members);
            Objects.requireNonNull(limits, "limits");
        }
    }

    /**
     * The {@code cluster} section: the POP cluster the node joins.
     *
     * @param name the Hazelcast cluster name, one per POP; a micro-hub joins its parent POP's
     * @param secret shared by all nodes; peers refuse requests without it
     * @param heartbeatTtl a node that has not sent a heartbeat for this long is taken for dead
     * @param memberTimeout Hazelcast drops a member it has not heard from for this long
     * @param mergeInterval how often the halves of a split cluster look for each other
     */
    public record Cluster(String name, String secret, Duration heartbeatTtl, Duration memberTimeout, Duration mergeInterval) {
        public Cluster {
            if (memberTimeout.toSeconds() < 2 || mergeInterval.toSeconds() < 1) {
                throw new ConfigException("cluster.member-timeout must be at least 2s and cluster.merge-interval at least 1s, got "
                        + memberTimeout + " and " + mergeInterval);
            }
        }

        /**
         * The name the Hazelcast member uses: {@code name} followed by a tag derived from the secret
         * (HMAC-SHA256, not reversible), so a node started with another secret cannot join the POP's
         * cluster even though it knows the POP's name.
         */
        public String hazelcastName() {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] tag = mac.doFinal(("chunk-mesh cluster " + name).getBytes(StandardCharsets.UTF_8));
                return name + "-" + HexFormat.of().formatHex(tag, 0, 8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        @Override
        public String toString() {
            return "Cluster[name=" + name + ", secret hidden, heartbeatTtl=" + heartbeatTtl + ", memberTimeout=" + memberTimeout
                    + ", mergeInterval=" + mergeInterval + "]";
        }
    }

    /**
     * The {@code store} section: the chunk store, its folder, how many bytes of chunks it may hold, whether each chunk is forced
     * to the device before it becomes visible, and whether chunks it encodes are compressed.
     */
    public record Store(Path data, long capacityBytes, boolean fsync, boolean compress) {
        /**
         * {@code ./data/node}, 10 GiB, fsync on, compression off: chunks are kept raw, as Kraken, Dragonfly and a plain
         * registry keep blobs, so a local hit is a view of the page cache and a first pull does not spend CPU on zstd
         * (BENCHMARKS.md: "Chunks kept raw by default").
         */
        public static final Store DEFAULTS = new Store(Path.of("./data/node"), 10L << 30, true, false);
    }

    /**
     * The {@code origin} section: the origin registries.
     *
     * @param url the default origin, for requests that name no upstream; empty when the node has none
     *     (it can then only serve what the POP holds)
     * @param bytesPerSecond the node's bandwidth to all origins together; 0 for unlimited
     * @param upstreams by the host containerd names in {@code ?ns=} (for example {@code docker.io}):
     *     the registry to use for it
     */
    public record Origins(Optional<URI> url, Optional<String> username, Optional<String> password, long bytesPerSecond,
                           Map<String, Named> upstreams) {
        /** No origin, no credentials, unlimited bandwidth, no named upstreams. */
        public static final Origins DEFAULTS = new Origins(Optional.empty(), Optional.empty(), Optional.empty(), 0, Map.of());

        public Origins {
            upstreams = Map.copyOf(upstreams);
        }

        @Override
        public String toString() {
            return "Origins[url=" + url + ", username=" + username + ", password " + (password.isPresent() ? "set" : "unset")
                    + ", bytesPerSecond=" + bytesPerSecond + ", upstreams=" + upstreams + "]";
        }
    }

    /** One named upstream: its registry URL and, if it needs them, credentials. */
    public record Named(URI url, Optional<String> username, Optional<String> password) {
        @Override
        public String toString() {
            return "Named[" + url + ", username=" + username + ", password " + (password.isPresent() ? "set" : "unset") + "]";
        }
    }

    /**
     * The {@code registry} section: the OCI registry mirror that local runtimes pull through.
     *
     * @param bind its address ({@code network.registry-bind}); loopback unless the runtimes are on other hosts
     * @param tagTtl how long a tag resolved at the origin is trusted before asking again
     * @param accessTtl how long the origin's answer to a client's credentials for a repository is kept
     * @param accessLog whether every request is logged (method, repository, reference, status, bytes, time, sources)
     */
    public record Registry(String bind, Duration tagTtl, Duration accessTtl, boolean accessLog) {
        /** On loopback, tags trusted 30 s, credential answers kept 60 s, every request logged. */
        public static final Registry DEFAULTS = new Registry("127.0.0.1", Duration.ofSeconds(30), Duration.ofSeconds(60), true);
    }

    /**
     * The {@code admin} section: the admin API's guard and bounds.
     *
     * @param token when present, every request but health, metrics and the dashboard page must carry it
     * @param maxBody the largest request body read (into memory, never onto disk); a larger one gets 413
     */
    public record Admin(Optional<AdminToken> token, long maxBody) {
        /** No token (the admin API then stays on loopback), bodies up to 16 MiB. */
        public static final Admin DEFAULTS = new Admin(Optional.empty(), 16L << 20);

        public Admin {
            Objects.requireNonNull(token, "token");
            if (maxBody < 64 * 1024 || maxBody > 256L << 20) {
                throw new ConfigException("admin.max-body must be between 64KiB and 256MiB, got " + maxBody + " bytes");
            }
        }
    }

    /** The node's place as the POP sees it, with its peer address. */
    public NodeInfo nodeInfo(int peerPort) {
        return new NodeInfo(node.name(), node.pop(), node.tier(), node.parentPop(), network.bind() + ":" + peerPort);
    }

    /**
     * The {@code tiers} section: how this POP links to the tiers above and below it.
     *
     * @param upper the peer API addresses ({@code host:port}) of the upper tier's nodes; empty for a root tier
     * @param upperSecret what requests to the upper tier are signed with
     * @param lowerSecret what requests of the tiers below must be signed with
     */
    public record Tiers(List<String> upper, String upperSecret, String lowerSecret) {
        public Tiers {
            upper = List.copyOf(upper);
            Objects.requireNonNull(upperSecret, "upperSecret");
            Objects.requireNonNull(lowerSecret, "lowerSecret");
        }

        @Override
        public String toString() {
            return "Tiers[upper=" + upper + ", secrets hidden]";
        }
    }
}
