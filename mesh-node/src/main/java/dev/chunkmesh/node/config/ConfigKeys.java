package dev.chunkmesh.node.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key with its default and meaning, gathered from the YAML sections that declare
 * them. The YAML file nests them by section ({@code network: {peer-port: 7070}}); the environment
 * variable is {@code MESH_} and the key in upper case with {@code .} and {@code -} as {@code _}
 * ({@code MESH_NETWORK_PEER_PORT}); the command line has a flag for the common ones. Later sources win:
 * defaults, file, environment, flags.
 *
 * <p>A section's keys are declared beside the method that reads them into its record
 * ({@link Sections}, {@link ClusterSections}, {@link OriginSection}); where the record has typed defaults
 * ({@code DEFAULTS}), a key's default is that value written as text, so it is given once. Adding a
 * setting: a field in the section's record (and its {@code DEFAULTS}, if the record has one), a
 * {@link Key} in the section's list and a line in its reader, and the Helm chart's {@code values.yaml}
 * and {@code configmap.yaml} ({@code HelmChartCoversSettingsTest} says so if one is missed).
 */
public final class ConfigKeys {

    /** A key's default ("" for none) and what it controls. */
    public record Key(String name, String defaultValue, String help) {
        public String environmentVariable() {
            return "MESH_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    /** A YAML section ({@code store}) and its keys, each named in full ({@code store.data}), in the order listed. */
    public record Section(String name, List<Key> keys) {
        public Section {
            keys = List.copyOf(keys);
            for (Key k : keys) {
                if (!k.name().startsWith(name + ".")) {
                    throw new IllegalArgumentException("key " + k.name() + " is not in section " + name);
                }
            }
        }

        public static Section of(String name, Key... keys) {
            return new Section(name, List.of(keys));
        }
    }

    /**
     * The sections in the order {@code --list-settings} shows them. The sections only build {@link Key}
     * and {@link Section} values (never read this class), so initializing either class first is safe.
     */
    public static final List<Section> SECTIONS = List.of(Sections.NODE, Sections.NETWORK, ClusterSections.CLUSTER, Sections.STORE,
            OriginSection.ORIGIN, ClusterSections.TIERS, Sections.REGISTRY, Sections.PULL, Sections.CHUNKER, Sections.TLS,
            Sections.ADMIN, Sections.CATALOG);

    /** Every key by name, in the order of {@link #SECTIONS}; unmodifiable. */
    public static final Map<String, Key> ALL = index(SECTIONS);

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

    private ConfigKeys() {
    }

    private static Map<String, Key> index(List<Section> sections) {
        Map<String, Key> all = new LinkedHashMap<>();
        for (Section section : sections) {
            for (Key k : section.keys()) {
                if (all.put(k.name(), k) != null) {
                    throw new IllegalStateException("setting " + k.name() + " is declared twice");
                }
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
