package dev.chunkmesh.node.config;

import static dev.chunkmesh.node.config.Settings.durationText;
import static dev.chunkmesh.node.config.Settings.sizeText;

import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.node.admin.AdminToken;
import dev.chunkmesh.node.config.ConfigKeys.Key;
import dev.chunkmesh.node.config.ConfigKeys.Section;
import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sections of {@link NodeConfig} that stand on their own, one YAML section each: its keys (name,
 * default, help), then the method that reads them into its record (nothing else reads them) and refuses
 * bad values naming the key. Where the record has {@code DEFAULTS}, the keys' defaults are taken from it.
 * The {@code cluster} and {@code tiers} sections are in {@link ClusterSections}, {@code origin} in
 * {@link OriginSection}; {@link ConfigKeys} lists them all.
 */
final class Sections {

    static final Section NODE = Section.of("node",
            new Key("node.name", "", "this node's name, unique in the fleet: 1-63 of a-z, 0-9, '-' (default: the host name)"),
            new Key("node.pop", "local", "the POP this node belongs to"),
            new Key("node.parent-pop", "", "for a micro-hub: the POP it takes chunks from before the origin (empty for a POP node)"));

    /** {@code node.*}; a missing name is the host's, cut to a valid node name. */
    static NodeConfig.Node node(Settings s) {
        PopId pop = s.get("node.pop", PopId::new);
        Optional<PopId> parent = s.optional("node.parent-pop").map(p -> s.get("node.parent-pop", PopId::new));
        NodeId name = s.optional("node.name").map(n -> s.get("node.name", NodeId::new)).orElseGet(Sections::hostName);
        if (parent.isPresent() && parent.get().equals(pop)) {
            throw new ConfigException("node.parent-pop: a micro-hub's parent cannot be its own POP '" + s.text("node.pop") + "'");
        }
        return new NodeConfig.Node(name, pop, parent);
    }

    static final Section NETWORK = networkKeys(NodeConfig.Network.DEFAULTS);

    private static Section networkKeys(NodeConfig.Network d) {
        return Section.of("network",
                new Key("network.bind", d.bind(), "the private address the peer API and Hazelcast listen on"),
                new Key("network.peer-port", Integer.toString(d.peerPort()), "port of the peer chunk API (0: any free port)"),
                new Key("network.registry-port", Integer.toString(d.registryPort()),
                        "port of the OCI registry mirror that local runtimes pull through"),
                new Key("network.registry-bind", NodeConfig.Registry.DEFAULTS.bind(),
                        "address of the registry mirror; loopback unless runtimes on other hosts use it"),
                new Key("network.admin-port", Integer.toString(d.adminPort()), "port of /healthz, /metrics, /v1/status and the pull API"),
                new Key("network.header-timeout", durationText(d.limits().headTimeout()), "every HTTP port: a connection that sends no"
                        + " complete request head for this long after it opens or after its last response is closed"),
                new Key("network.idle-timeout", durationText(d.limits().idleTimeout()),
                        "every HTTP port: a connection that sends and receives nothing for this long is closed"),
                new Key("network.admin-bind", d.adminBind(), "address of the admin API; any other than loopback needs admin.token-file,"
                        + " or the node refuses to start"),
                new Key("network.hazelcast-port", Integer.toString(d.hazelcastPort()), "port of the node's embedded Hazelcast member"),
                new Key("network.members", String.join(",", d.members()),
                        "Hazelcast members to join, host[:port] separated by commas (empty: a POP of one)"),
                new Key("network.kubernetes-service-dns", d.kubernetesServiceDns().orElse(""),
                        "in Kubernetes: headless Service whose DNS lists the POP's members (replaces network.members)"));
    }

    /** {@code network.*} but {@code network.registry-bind}, which is the mirror's ({@link #registry}). */
    static NodeConfig.Network network(Settings s) {
        return new NodeConfig.Network(s.text("network.bind"), s.text("network.admin-bind"), s.port("network.peer-port"),
                s.port("network.registry-port"), s.port("network.admin-port"), s.port("network.hazelcast-port"), s.list("network.members"),
                s.optional("network.kubernetes-service-dns"), s.get("network.header-timeout",
                        x -> new ServerLimits(s.duration("network.header-timeout"), s.duration("network.idle-timeout"))));
    }

    static final Section STORE = storeKeys(NodeConfig.Store.DEFAULTS);

    private static Section storeKeys(NodeConfig.Store d) {
        return Section.of("store",
                new Key("store.data", d.data().toString(), "folder of the chunk store and recipes"),
                new Key("store.capacity", sizeText(d.capacityBytes()), "bytes of chunks the store may hold; past 90% it evicts down to"
                        + " 80%, oldest stored first, skipping chunks pinned by pulls under way and, for one pass, chunks read since they"
                        + " were stored (second chance)"),
                new Key("store.fsync", Boolean.toString(d.fsync()), "force every chunk to the device before it is visible; off trades"
                        + " durability across power loss (never correctness: every read is verified) for much faster writes on slow-sync"
                        + " disks"),
                new Key("store.compress", Boolean.toString(d.compress()), "keep chunks the node chunks itself as zstd frames where that"
                        + " makes them smaller: less disk (and fewer bytes to peers) for uncompressed layers, more CPU on every first pull and"
                        + " local hit of them; off (the default) keeps them raw (frames from peers are kept as they came)"));
    }

    /** {@code store.*}. */
    static NodeConfig.Store store(Settings s) {
        return new NodeConfig.Store(Path.of(s.text("store.data")), s.size("store.capacity"), s.bool("store.fsync"), s.bool("store.compress"));
    }

    static final Section REGISTRY = registryKeys(NodeConfig.Registry.DEFAULTS);

    private static Section registryKeys(NodeConfig.Registry d) {
        return Section.of("registry",
                new Key("registry.tag-ttl", durationText(d.tagTtl()), "how long the mirror trusts a tag resolved at the origin"),
                new Key("registry.access-ttl", durationText(d.accessTtl()),
                        "how long the origin's answer to a client's credentials for a repository is kept"),
                new Key("registry.access-log", Boolean.toString(d.accessLog()), "log one line per mirror request: method, repository, tag"
                        + " or digest, status, bytes, seconds, and where a blob's bytes came from (logger dev.chunkmesh.node.registry.access)"));
    }

    /** {@code registry.*} and the mirror's address, {@code network.registry-bind}. */
    static NodeConfig.Registry registry(Settings s) {
        return new NodeConfig.Registry(s.text("network.registry-bind"), s.duration("registry.tag-ttl"), s.duration("registry.access-ttl"),
                s.bool("registry.access-log"));
    }

    static final Section PULL = pullKeys(PullSettings.DEFAULTS);

    private static Section pullKeys(PullSettings d) {
        return Section.of("pull",
                new Key("pull.parallel-fetches", Integer.toString(d.parallelFetches()), "chunk fetches in flight at once"),
                new Key("pull.peer-batch", Integer.toString(d.peerBatch()), "chunks asked of a peer in one request (1-256)"),
                new Key("pull.peer-window", Integer.toString(d.peerWindow()),
                        "requests in flight to one peer at once, refilled as each answer lands"),
                new Key("pull.max-origin-range", sizeText(d.maxOriginRangeBytes()),
                        "adjacent origin chunks are joined into Range requests up to this size"),
                new Key("pull.upload-slots", Integer.toString(d.uploadSlots()), "peer chunk requests this node serves at once; one more is"
                        + " answered 503 (busy) and the asking node tries another holder; keep it the same across a POP"),
                new Key("pull.lease-time", durationText(d.leaseTime()), "single-flight lease lifetime; a dead fetcher's lease lapses after it"),
                new Key("pull.stall-timeout", durationText(d.stallTimeout()), "a pull with no progress for this long fails"),
                new Key("pull.penalty-time", durationText(d.penaltyTime()), "how long a peer that sent bad bytes is left out"));
    }

    /** {@code pull.*}; the progress report interval is not a setting. */
    static PullSettings pull(Settings s) {
        return s.get("pull", x -> new PullSettings(s.integer("pull.parallel-fetches"), s.integer("pull.peer-batch"),
                s.integer("pull.peer-window"), s.size("pull.max-origin-range"), s.duration("pull.lease-time"),
                s.duration("pull.stall-timeout"), s.duration("pull.penalty-time"), PullSettings.DEFAULTS.pollInterval(),
                s.integer("pull.upload-slots")));
    }

    static final Section CHUNKER = Section.of("chunker",
            new Key("chunker.min", sizeText(ChunkerParams.DEFAULTS.minSize()), "smallest chunk; must match across the fleet"),
            new Key("chunker.avg", sizeText(ChunkerParams.DEFAULTS.avgSize()), "target average chunk; must match across the fleet"),
            new Key("chunker.max", sizeText(ChunkerParams.DEFAULTS.maxSize()), "largest chunk; must match across the fleet"));

    /** {@code chunker.*}; the normalization level is not a setting. */
    static ChunkerParams chunker(Settings s) {
        return s.get("chunker", x -> new ChunkerParams(Math.toIntExact(s.size("chunker.min")), Math.toIntExact(s.size("chunker.avg")),
                Math.toIntExact(s.size("chunker.max")), ChunkerParams.DEFAULTS.normalization()));
    }

    static final Section CATALOG = Section.of("catalog",
            new Key("catalog.trusted-keys", "", "public key file or folder of keys whose catalogs the node accepts for prefetch"));

    /** {@code catalog.trusted-keys}. */
    static Optional<Path> trustedKeys(Settings s) {
        return s.optional("catalog.trusted-keys").map(Path::of);
    }

    static final Section ADMIN = Section.of("admin",
            new Key("admin.token-file", "", "file holding the admin API's bearer token (16+ characters, read at start): with it, every"
                    + " request but GET /healthz, /metrics and /dashboard needs 'Authorization: Bearer <token>'"),
            new Key("admin.max-body", sizeText(NodeConfig.Admin.DEFAULTS.maxBody()),
                    "largest request body the admin API reads (a signed catalog for /v1/prefetch); larger gets 413"));

    /** {@code admin.*}; the token file is read here. */
    static NodeConfig.Admin admin(Settings s) {
        Optional<AdminToken> token = s.optional("admin.token-file").map(f -> s.get("admin.token-file", t -> AdminToken.read(Path.of(t))));
        return new NodeConfig.Admin(token, s.size("admin.max-body"));
    }

    static final Section TLS = Section.of("tls",
            new Key("tls.ca", "", "mesh CA certificate (PEM); with tls.cert and tls.key, the peer API requires mTLS (mesh ca init / issue)"),
            new Key("tls.cert", "", "this node's certificate (PEM), signed by the mesh CA; re-read when it changes"),
            new Key("tls.key", "", "this node's private key (PKCS#8 PEM); re-read when it changes"));

    /** {@code tls.*}: all three files, readable, or none. */
    static Optional<TlsFiles> tls(Settings s) {
        List<Optional<String>> parts = List.of(s.optional("tls.ca"), s.optional("tls.cert"), s.optional("tls.key"));
        long given = parts.stream().filter(Optional::isPresent).count();
        if (given == 0) {
            return Optional.empty();
        }
        if (given < 3) {
            throw new ConfigException("tls.ca, tls.cert and tls.key go together: give all three for mTLS between peers, or none");
        }
        TlsFiles files = new TlsFiles(Path.of(parts.get(0).get()), Path.of(parts.get(1).get()), Path.of(parts.get(2).get()));
        for (Path p : List.of(files.ca(), files.cert(), files.key())) {
            if (!Files.isReadable(p)) {
                throw new ConfigException("TLS file " + p + " cannot be read");
            }
        }
        return Optional.of(files);
    }

    private Sections() {
    }

    private static NodeId hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
            h = h.replaceAll("^-+", "");
            return new NodeId(h.isEmpty() ? "node" : h.substring(0, Math.min(63, h.length())));
        } catch (IOException | RuntimeException e) {
            return new NodeId("node");
        }
    }
}
