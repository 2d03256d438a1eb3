package dev.chunkmesh.node.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key with its default and meaning. The YAML file nests them by section
 * ({@code network: {peer-port: 7070}}); the environment variable is {@code MESH_} and the key in upper
 * case with {@code .} and {@code -} as {@code _} ({@code MESH_NETWORK_PEER_PORT}); the command line
 * has a flag for the common ones. Later sources win: defaults, file, environment, flags.
 */
public final class ConfigKeys {

    /** A key's default ("" for none) and what it controls. */
    public record Key(String name, String defaultValue, String help) {
        public String environmentVariable() {
            return "MESH_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final Map<String, Key> ALL = new LinkedHashMap<>();

    /**
     * Refuses a key given as a flag (or set in code) that names no setting, with the closest one.
     *
     * @throws ConfigException if {@code key} is not in {@link #ALL}
     */
    static void requireKnown(String key) {
        if (!ALL.containsKey(key)) {
            throw new ConfigException("unknown setting '" + key + "'" + EnvironmentCheck.closest(key, ALL.keySet())
                    .map(c -> "; did you mean '" + c + "'?").orElse(""));
        }
    }

    static {
        key("node.name", "", "this node's name, unique in the fleet: 1-63 of a-z, 0-9, '-' (default: the host name)");
        key("node.pop", "local", "the POP this node belongs to");
        key("node.parent-pop", "", "for a micro-hub: the POP it takes chunks from before the origin (empty for a POP node)");
        key("network.bind", "127.0.0.1", "the private address the peer API and Hazelcast listen on");
        key("network.peer-port", "7070", "port of the peer chunk API (0: any free port)");
        key("network.registry-port", "5050", "port of the OCI registry mirror that local runtimes pull through");
        key("network.registry-bind", "127.0.0.1", "address of the registry mirror; loopback unless runtimes on other hosts use it");
        key("network.admin-port", "7071", "port of /healthz, /metrics, /v1/status and the pull API");
        key("network.header-timeout", "20s", "every HTTP port: a connection that sends no complete request head for this long"
                + " after it opens or after its last response is closed");
        key("network.idle-timeout", "5m", "every HTTP port: a connection that sends and receives nothing for this long is closed");
        key("network.admin-bind", "127.0.0.1", "address of the admin API; any other than loopback needs admin.token-file, or the node"
                + " refuses to start");
        key("network.hazelcast-port", "5701", "port of the node's embedded Hazelcast member");
        key("network.members", "", "Hazelcast members to join, host[:port] separated by commas (empty: a POP of one)");
        key("network.kubernetes-service-dns", "", "in Kubernetes: headless Service whose DNS lists the POP's members (replaces network.members)");
        key("cluster.name", "", "Hazelcast cluster name, one per POP (default: mesh-<pop>, or mesh-<parent-pop> for a micro-hub)");
        key("cluster.secret", "", "secret shared by the nodes of the mesh, at least 16 characters; required when members are given");
        key("cluster.heartbeat-ttl", "5s", "a node silent for this long is taken for dead");
        key("cluster.member-timeout", "15s", "Hazelcast drops a member it has not heard from for this long (how soon a POP split is seen)");
        key("cluster.merge-interval", "30s", "how often the halves of a split POP cluster look for each other to merge again");
        key("store.data", "./data/node", "folder of the chunk store and recipes");
        key("store.capacity", "10GiB", "bytes of chunks the store may hold; past 90% it evicts down to 80%, oldest stored first, skipping"
                + " chunks pinned by pulls under way and, for one pass, chunks read since they were stored (second chance)");
        key("store.fsync", "true", "force every chunk to the device before it is visible; off trades durability across power loss"
                + " (never correctness: every read is verified) for much faster writes on slow-sync disks");
        key("store.compress", "true", "keep chunks the node chunks itself as zstd frames where that makes them smaller; off keeps them"
                + " raw: more disk, less CPU on every pull and local hit of compressible layers (frames from peers are kept as they came)");
        key("origin.url", "", "default upstream registry, e.g. https://registry.example.com (empty: no origin)");
        key("origin.username", "", "user name for the origin, if it needs one");
        key("origin.password", "", "password or token for the origin (prefer MESH_ORIGIN_PASSWORD)");
        key("origin.upstreams", "", "upstreams by the host runtimes name (containerd's ?ns=): host=URL separated by commas");
        key("origin.upstream-credentials", "", "host=USER:ENV_VAR separated by commas: the password is read from that variable");
        key("origin.bandwidth", "0", "bytes per second this node may take from the origin, e.g. 100MiB (0: unlimited)");
        key("tiers.upper", "", "peer API addresses (host:port, separated by commas) of the nodes of this POP's upper tier, a"
                + " regional POP: what no node of this POP holds is taken from there, never from the origin (empty: a root tier, which"
                + " uses origin.url)");
        key("tiers.upper-secret", "", "secret this POP signs its requests to the upper tier with, the upper tier's tiers.lower-secret;"
                + " at least 16 characters (default: cluster.secret; prefer MESH_TIERS_UPPER_SECRET)");
        key("tiers.lower-secret", "", "secret the POPs below this one sign their requests with (their tiers.upper-secret); at least 16"
                + " characters (default: cluster.secret, which then must be shared with them; prefer MESH_TIERS_LOWER_SECRET)");
        key("registry.tag-ttl", "30s", "how long the mirror trusts a tag resolved at the origin");
        key("registry.access-ttl", "60s", "how long the origin's answer to a client's credentials for a repository is kept");
        key("registry.access-log", "true", "log one line per mirror request: method, repository, tag or digest, status, bytes, seconds,"
                + " and where a blob's bytes came from (logger dev.chunkmesh.node.registry.access)");
        key("pull.parallel-fetches", "8", "chunk fetches in flight at once");
        key("pull.peer-batch", "32", "chunks asked of a peer in one request (1-256)");
        key("pull.peer-window", "4", "requests in flight to one peer at once, refilled as each answer lands");
        key("pull.max-origin-range", "16MiB", "adjacent origin chunks are joined into Range requests up to this size");
        key("pull.upload-slots", "8", "peer chunk requests this node serves at once; one more is answered 503 (busy) and the asking node"
                + " tries another holder; keep it the same across a POP");
        key("pull.lease-time", "10s", "single-flight lease lifetime; a dead fetcher's lease lapses after it");
        key("pull.stall-timeout", "60s", "a pull with no progress for this long fails");
        key("pull.penalty-time", "60s", "how long a peer that sent bad bytes is left out");
        key("chunker.min", "16KiB", "smallest chunk; must match across the fleet");
        key("chunker.avg", "64KiB", "target average chunk; must match across the fleet");
        key("chunker.max", "256KiB", "largest chunk; must match across the fleet");
        key("tls.ca", "", "mesh CA certificate (PEM); with tls.cert and tls.key, the peer API requires mTLS (mesh ca init / issue)");
        key("tls.cert", "", "this node's certificate (PEM), signed by the mesh CA; re-read when it changes");
        key("tls.key", "", "this node's private key (PKCS#8 PEM); re-read when it changes");
        key("admin.token-file", "", "file holding the admin API's bearer token (16+ characters, read at start): with it, every request but"
                + " GET /healthz, /metrics and /dashboard needs 'Authorization: Bearer <token>'");
        key("admin.max-body", "16MiB", "largest request body the admin API reads (a signed catalog for /v1/prefetch); larger gets 413");
        key("catalog.trusted-keys", "", "public key file or folder of keys whose catalogs the node accepts for prefetch");
    }

    private ConfigKeys() {
    }

    private static void key(String name, String def, String help) {
        ALL.put(name, new Key(name, def, help));
    }
}
