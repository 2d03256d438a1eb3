package dev.chunkmesh.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.PopId;
import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.admin.AdminToken;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link NodeConfig} from, in rising priority: the defaults in {@link ConfigKeys}, a YAML
 * file, {@code MESH_*} environment variables and command-line flags. Unknown keys, in the file or as
 * flags, are refused rather than ignored, and every bad value is reported with its key and source.
 */
public final class ConfigLoader {

    private record Value(String text, String source) {}

    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<String, String> environment;

    private ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
        ConfigKeys.ALL.values().forEach(k -> values.put(k.name(), new Value(k.defaultValue(), "default")));
    }

    /**
     * @param file a YAML file, if given
     * @param environment the process environment (only {@code MESH_*} variables are read)
     * @param flags values from the command line, by key ({@code network.peer-port})
     */
    public static NodeConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        return read(file, environment, flags).build();
    }

    /**
     * The effective settings as YAML, in the sections of the config file, each value with where it
     * came from and secrets hidden; every setting is checked first, as {@link #load} does.
     */
    public static String effectiveYaml(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        ConfigLoader l = read(file, environment, flags);
        l.build();
        Map<String, SettingsYaml.Setting> settings = new LinkedHashMap<>();
        l.values.forEach((k, v) -> settings.put(k, new SettingsYaml.Setting(v.text().strip(), v.source())));
        return SettingsYaml.render(settings);
    }

    private static ConfigLoader read(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        ConfigLoader l = new ConfigLoader(environment);
        if (file.isPresent()) {
            l.readYaml(file.get());
        }
        for (ConfigKeys.Key k : ConfigKeys.ALL.values()) {
            String v = environment.get(k.environmentVariable());
            if (v != null) {
                l.values.put(k.name(), new Value(v, "environment variable " + k.environmentVariable()));
            }
        }
        flags.forEach((key, v) -> {
            if (!ConfigKeys.ALL.containsKey(key)) {
                throw new ConfigException("unknown setting '" + key + "'" + EnvironmentCheck.closest(key, ConfigKeys.ALL.keySet())
                        .map(c -> "; did you mean '" + c + "'?").orElse(""));
            }
            l.values.put(key, new Value(v, "flag"));
        });
        EnvironmentCheck.refuseUnknown(environment, l.passwordVariables());
        return l;
    }

    /** Variables that {@code origin.upstream-credentials} names as holding passwords. */
    private List<String> passwordVariables() {
        return list("origin.upstream-credentials").stream().map(e -> e.substring(e.lastIndexOf(':') + 1).strip()).toList();
    }

    private void readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected sections such as 'node:' and 'network:' at the top");
        }
        flatten(file, "", root);
    }

    private void flatten(Path file, String prefix, JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(file, key + ".", v);
                continue;
            }
            if (!ConfigKeys.ALL.containsKey(key)) {
                throw new ConfigException(file + ": unknown setting '" + key + "'; known settings: " + String.join(", ", ConfigKeys.ALL.keySet()));
            }
            String text;
            if (v.isArray()) {
                StringBuilder b = new StringBuilder();
                v.forEach(x -> b.append(b.length() == 0 ? "" : ",").append(x.asText()));
                text = b.toString();
            } else if (v.isNull()) {
                text = "";
            } else {
                text = v.asText();
            }
            values.put(key, new Value(text, file.toString()));
        }
    }

    private NodeConfig build() {
        String popText = text("node.pop");
        PopId pop = get("node.pop", PopId::new);
        Optional<PopId> parent = optional("node.parent-pop").map(s -> get("node.parent-pop", PopId::new));
        NodeId name = optional("node.name").map(s -> get("node.name", NodeId::new)).orElseGet(ConfigLoader::hostName);
        NodeConfig.Node identity = new NodeConfig.Node(name, pop, parent);
        if (parent.isPresent() && parent.get().equals(pop)) {
            throw new ConfigException("node.parent-pop: a micro-hub's parent cannot be its own POP '" + popText + "'");
        }
        List<String> members = optional("network.members").map(s -> Arrays.stream(s.split(",")).map(String::strip)
                .filter(m -> !m.isEmpty()).toList()).orElse(List.of());
        NodeConfig.Network network = new NodeConfig.Network(text("network.bind"), text("network.admin-bind"), port("network.peer-port"),
                port("network.registry-port"), port("network.admin-port"), port("network.hazelcast-port"), members,
                optional("network.kubernetes-service-dns"),
                get("network.header-timeout", x -> new ServerLimits(duration("network.header-timeout"), duration("network.idle-timeout"))));
        String clusterName = optional("cluster.name").orElse("mesh-" + parent.orElse(pop).name());
        String secret = optional("cluster.secret").orElse("");
        List<String> upper = upperTier();
        if (secret.isEmpty()) {
            if (!members.isEmpty() || network.kubernetesServiceDns().isPresent()) {
                throw new ConfigException("cluster.secret is required when network.members or network.kubernetes-service-dns is given"
                        + " (nodes of a POP must share it)");
            }
            if (!upper.isEmpty() && optional("tiers.upper-secret").isEmpty()) {
                throw new ConfigException("tiers.upper needs the secret its requests are signed with: tiers.upper-secret (the upper"
                        + " tier's tiers.lower-secret), or a cluster.secret shared with the upper tier");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
        } else if (secret.length() < 16) {
            throw new ConfigException("cluster.secret (" + values.get("cluster.secret").source() + ") must have at least 16 characters");
        }
        NodeConfig.Cluster cluster = new NodeConfig.Cluster(clusterName, secret, duration("cluster.heartbeat-ttl"),
                duration("cluster.member-timeout"), duration("cluster.merge-interval"));
        NodeConfig.Store store = new NodeConfig.Store(Path.of(text("store.data")), size("store.capacity"), bool("store.fsync"),
                bool("store.compress"));
        NodeConfig.Origins origin = new NodeConfig.Origins(optional("origin.url").map(u -> get("origin.url", ConfigLoader::url)),
                optional("origin.username"), optional("origin.password"), size("origin.bandwidth"), upstreams());
        NodeConfig.Registry registry = new NodeConfig.Registry(text("network.registry-bind"), duration("registry.tag-ttl"),
                duration("registry.access-ttl"), bool("registry.access-log"));
        PullSettings pull = get("pull", x -> new PullSettings(integer("pull.parallel-fetches"), integer("pull.peer-batch"), integer("pull.peer-window"),
                size("pull.max-origin-range"), duration("pull.lease-time"), duration("pull.stall-timeout"), duration("pull.penalty-time"),
                Duration.ofMillis(50), integer("pull.upload-slots")));
        ChunkerParams chunker = get("chunker", x -> new ChunkerParams(Math.toIntExact(size("chunker.min")),
                Math.toIntExact(size("chunker.avg")), Math.toIntExact(size("chunker.max")), ChunkerParams.DEFAULTS.normalization()));
        Optional<Path> trust = optional("catalog.trusted-keys").map(Path::of);
        Optional<AdminToken> token = optional("admin.token-file").map(f -> get("admin.token-file", t -> AdminToken.read(Path.of(t))));
        NodeConfig.Admin admin = new NodeConfig.Admin(token, size("admin.max-body"));
        return new NodeConfig(identity, network, cluster, store, origin, registry, pull, chunker, trust, tls(), admin,
                new NodeConfig.Tiers(upper, tierSecret("tiers.upper-secret", secret), tierSecret("tiers.lower-secret", secret)));
    }

    private String tierSecret(String key, String clusterSecret) {
        String s = optional(key).orElse(clusterSecret);
        if (s.length() < 16) {
            throw new ConfigException(key + " (" + values.get(key).source() + ") must have at least 16 characters");
        }
        return s;
    }

    private List<String> upperTier() {
        List<String> nodes = list("tiers.upper");
        for (String n : nodes) {
            int colon = n.lastIndexOf(':');
            boolean ok = colon > 0 && n.substring(0, colon).matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]") && n.substring(colon + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(n.substring(colon + 1)) > 0 && Integer.parseInt(n.substring(colon + 1)) < 65536;
            if (!ok) {
                throw new ConfigException("tiers.upper (" + values.get("tiers.upper").source() + "): '" + n
                        + "' is not host:port of a node's peer API, e.g. region-1.example.net:7070");
            }
        }
        if (nodes.size() != Set.copyOf(nodes).size()) {
            throw new ConfigException("tiers.upper names a node twice: " + nodes);
        }
        return nodes;
    }

    private Optional<TlsFiles> tls() {
        List<Optional<String>> parts = List.of(optional("tls.ca"), optional("tls.cert"), optional("tls.key"));
        long given = parts.stream().filter(Optional::isPresent).count();
        if (given == 0) {
            return Optional.empty();
        }
        if (given < 3) {
            throw new ConfigException("tls.ca, tls.cert and tls.key go together: give all three for mTLS between peers, or none");
        }
        TlsFiles files = new TlsFiles(Path.of(parts.get(0).get()), Path.of(parts.get(1).get()), Path.of(parts.get(2).get()));
        for (Path p : List.of(files.ca(), files.cert(), files.key())) {
            if (!java.nio.file.Files.isReadable(p)) {
                throw new ConfigException("TLS file " + p + " cannot be read");
            }
        }
        return Optional.of(files);
    }

    private Map<String, NodeConfig.Named> upstreams() {
        Map<String, String[]> credentials = new LinkedHashMap<>();
        for (String entry : list("origin.upstream-credentials")) {
            String[] kv = pair("origin.upstream-credentials", entry);
            int colon = kv[1].indexOf(':');
            if (colon < 1 || colon == kv[1].length() - 1) {
                throw new ConfigException("origin.upstream-credentials: '" + entry + "' must be host=USER:ENV_VAR");
            }
            credentials.put(kv[0], new String[] {kv[1].substring(0, colon), kv[1].substring(colon + 1)});
        }
        Map<String, NodeConfig.Named> out = new LinkedHashMap<>();
        for (String entry : list("origin.upstreams")) {
            String[] kv = pair("origin.upstreams", entry);
            URI u = get("origin.upstreams", x -> url(kv[1]));
            String[] cred = credentials.remove(kv[0]);
            Optional<String> password = Optional.empty();
            if (cred != null) {
                String value = environment.get(cred[1]);
                if (value == null) {
                    throw new ConfigException("origin.upstream-credentials: the password of " + kv[0] + " is to come from $" + cred[1]
                            + ", which is not set");
                }
                password = Optional.of(value);
            }
            if (out.put(kv[0], new NodeConfig.Named(u, Optional.ofNullable(cred).map(c -> c[0]), password)) != null) {
                throw new ConfigException("origin.upstreams names " + kv[0] + " twice");
            }
        }
        if (!credentials.isEmpty()) {
            throw new ConfigException("origin.upstream-credentials names upstreams that origin.upstreams lacks: " + credentials.keySet());
        }
        return out;
    }

    private List<String> list(String key) {
        return optional(key).map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    }

    private static String[] pair(String key, String entry) {
        int eq = entry.indexOf('=');
        if (eq < 1 || eq == entry.length() - 1) {
            throw new ConfigException(key + ": '" + entry + "' must be host=value");
        }
        return new String[] {entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), entry.substring(eq + 1).strip()};
    }

    private String text(String key) {
        return values.get(key).text().strip();
    }

    private Optional<String> optional(String key) {
        String t = text(key);
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** Parses a key's value (or, for a section, builds it), turning any refusal into a message naming the key and its source. */
    private <T> T get(String key, Function<String, T> parse) {
        Value v = values.get(key);
        String source = v == null ? "settings" : v.source();
        try {
            return parse.apply(v == null ? null : v.text().strip());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(key + " (" + source + "): " + e.getMessage());
        }
    }

    private boolean bool(String key) {
        return get(key, t -> switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + t + "' is not true or false");
        });
    }

    private int port(String key) {
        int p = integer(key);
        if (p < 0 || p > 65535) {
            throw new ConfigException(key + " (" + values.get(key).source() + "): a port is 0-65535, got " + p);
        }
        return p;
    }

    private int integer(String key) {
        return get(key, t -> {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a whole number");
            }
        });
    }

    private long size(String key) {
        return get(key, t -> ByteSize.parse(t).bytes());
    }

    private Duration duration(String key) {
        return get(key, ConfigLoader::parseDuration);
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static Duration parseDuration(String t) {
        String s = t.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + t + "' is not a duration such as 500ms, 5s, 2m or 1h");
        }
        long n = Long.parseLong(s.substring(0, i));
        return switch (s.substring(i).strip()) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("'" + t + "' has an unknown unit: use ms, s, m or h");
        };
    }

    private static URI url(String t) {
        URI u = URI.create(t);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + t + "' is not an http:// or https:// URL");
        }
        return u;
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
