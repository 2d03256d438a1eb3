package dev.chunkmesh.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.node.tls.TlsFiles;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link NodeConfig} from, in rising priority: the defaults in {@link ConfigKeys}, a YAML
 * file, {@code MESH_*} environment variables and command-line flags. Unknown keys, in the file or as
 * flags, are refused rather than ignored, and every bad value is reported with its key and source.
 * Each section is read by one method ({@link Sections}, {@link ClusterSections}, {@link OriginSection}).
 */
public final class ConfigLoader {

    private final Map<String, Settings.Value> values = new LinkedHashMap<>();
    private final Map<String, String> environment;

    private ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
        ConfigKeys.ALL.values().forEach(k -> values.put(k.name(), new Settings.Value(k.defaultValue(), "default")));
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
                l.values.put(k.name(), new Settings.Value(v, "environment variable " + k.environmentVariable()));
            }
        }
        flags.forEach((key, v) -> {
            ConfigKeys.requireKnown(key);
            l.values.put(key, new Settings.Value(v, "flag"));
        });
        EnvironmentCheck.refuseUnknown(environment, OriginSection.passwordVariables(l.settings()));
        return l;
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
            values.put(key, new Settings.Value(text, file.toString()));
        }
    }

    private NodeConfig build() {
        Settings s = settings();
        NodeConfig.Node node = Sections.node(s);
        NodeConfig.Network network = Sections.network(s);
        List<String> upperTier = ClusterSections.upperTier(s);
        NodeConfig.Cluster cluster = ClusterSections.cluster(s, node, network, upperTier);
        NodeConfig.Store store = Sections.store(s);
        NodeConfig.Origins origin = OriginSection.origins(s);
        NodeConfig.Registry registry = Sections.registry(s);
        PullSettings pull = Sections.pull(s);
        ChunkerParams chunker = Sections.chunker(s);
        Optional<Path> trustedKeys = Sections.trustedKeys(s);
        NodeConfig.Admin admin = Sections.admin(s);
        Optional<TlsFiles> tls = Sections.tls(s);
        return new NodeConfig(node, network, cluster, store, origin, registry, pull, chunker, trustedKeys, tls, admin,
                ClusterSections.tiers(s, upperTier, cluster.secret()));
    }

    private Settings settings() {
        return new Settings(values, environment);
    }
}
