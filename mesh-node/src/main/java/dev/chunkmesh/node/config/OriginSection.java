package dev.chunkmesh.node.config;

import dev.chunkmesh.node.config.ConfigKeys.Key;
import dev.chunkmesh.node.config.ConfigKeys.Section;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code origin} section, its keys and its reader: the default origin, the named upstreams and their
 * credentials, whose passwords come from environment variables that {@code origin.upstream-credentials} names.
 */
final class OriginSection {

    static final Section ORIGIN = Section.of("origin",
            new Key("origin.url", "", "default upstream registry, e.g. https://registry.example.com (empty: no origin)"),
            new Key("origin.username", "", "user name for the origin, if it needs one"),
            new Key("origin.password", "", "password or token for the origin (prefer MESH_ORIGIN_PASSWORD)"),
            new Key("origin.upstreams", "", "upstreams by the host runtimes name (containerd's ?ns=): host=URL separated by commas"),
            new Key("origin.upstream-credentials", "", "host=USER:ENV_VAR separated by commas: the password is read from that variable"),
            new Key("origin.bandwidth", Settings.sizeText(NodeConfig.Origins.DEFAULTS.bytesPerSecond()),
                    "bytes per second this node may take from the origin, e.g. 100MiB (0: unlimited)"));

    private OriginSection() {
    }

    /** {@code origin.*}. */
    static NodeConfig.Origins origins(Settings s) {
        return new NodeConfig.Origins(s.url("origin.url"), s.optional("origin.username"), s.optional("origin.password"),
                s.size("origin.bandwidth"), upstreams(s));
    }

    /** The variables {@code origin.upstream-credentials} names as holding passwords (they are not settings). */
    static List<String> passwordVariables(Settings s) {
        return s.list("origin.upstream-credentials").stream().map(e -> e.substring(e.lastIndexOf(':') + 1).strip()).toList();
    }

    private static Map<String, NodeConfig.Named> upstreams(Settings s) {
        Map<String, String[]> credentials = new LinkedHashMap<>();
        for (String entry : s.list("origin.upstream-credentials")) {
            String[] kv = Settings.pair("origin.upstream-credentials", entry);
            int colon = kv[1].indexOf(':');
            if (colon < 1 || colon == kv[1].length() - 1) {
                throw new ConfigException("origin.upstream-credentials: '" + entry + "' must be host=USER:ENV_VAR");
            }
            credentials.put(kv[0], new String[] {kv[1].substring(0, colon), kv[1].substring(colon + 1)});
        }
        Map<String, NodeConfig.Named> out = new LinkedHashMap<>();
        for (String entry : s.list("origin.upstreams")) {
            String[] kv = Settings.pair("origin.upstreams", entry);
            URI u = s.get("origin.upstreams", x -> Settings.parseUrl(kv[1]));
            String[] cred = credentials.remove(kv[0]);
            Optional<String> password = Optional.empty();
            if (cred != null) {
                password = Optional.of(s.environment(cred[1]).orElseThrow(() -> new ConfigException("origin.upstream-credentials: the"
                        + " password of " + kv[0] + " is to come from $" + cred[1] + ", which is not set")));
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
}
