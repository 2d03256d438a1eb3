package dev.chunkmesh.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every setting the node lists ({@code mesh node run --list-settings}, i.e. {@link ConfigKeys#ALL}) is
 * either rendered into the node's {@code node.yaml} by the Helm chart's ConfigMap from a
 * {@code values.yaml} value, or named in {@link #NOT_FROM_VALUES} with the reason. Read from the chart's
 * sources, so it runs without helm; {@code charts/check.sh} renders the chart and has the node parse it.
 */
class HelmChartCoversSettingsTest {

    private static final Path CHART = Path.of("..", "charts", "chunk-mesh");

    /** Settings the chart does not take from values.yaml, each with why. */
    private static final Map<String, String> NOT_FROM_VALUES = Map.ofEntries(
            // Set per pod by the DaemonSet's env from the downward API: each pod's own name and address.
            Map.entry("node.name", "MESH_NODE_NAME from the pod's name"),
            Map.entry("network.bind", "MESH_NETWORK_BIND from the pod's IP (hostNetwork: the host's address)"),
            Map.entry("network.admin-bind", "MESH_NETWORK_ADMIN_BIND from the pod's IP, for the kubelet's probes and Prometheus"),
            // Fixed by the chart: containerd on the same host pulls through the mirror on the host's loopback.
            Map.entry("network.registry-bind", "always 127.0.0.1 in the ConfigMap"),
            // In Kubernetes the members are found through the headless Service (network.kubernetes-service-dns).
            Map.entry("network.members", "replaced by network.kubernetesServiceDns"),
            // Secrets come from Kubernetes Secrets into MESH_* variables, never through a ConfigMap.
            Map.entry("cluster.secret", "MESH_CLUSTER_SECRET from cluster.secretName"),
            Map.entry("origin.username", "MESH_ORIGIN_USERNAME from origin.credentialsSecret"),
            Map.entry("origin.password", "MESH_ORIGIN_PASSWORD from origin.credentialsSecret"),
            Map.entry("tiers.upper-secret", "MESH_TIERS_UPPER_SECRET from tiers.secretName"),
            Map.entry("tiers.lower-secret", "MESH_TIERS_LOWER_SECRET from tiers.secretName"),
            // Paths inside the pod where the chart mounts a volume or Secret named in values.yaml.
            Map.entry("store.data", "always /data, the hostPath store.hostPath mounted there"),
            Map.entry("tls.ca", "a file of the Secret tls.secretName"),
            Map.entry("tls.cert", "a file of the Secret tls.secretName"),
            Map.entry("tls.key", "a file of the Secret tls.secretName"),
            Map.entry("admin.token-file", "a file of the Secret admin.tokenSecret"),
            Map.entry("catalog.trusted-keys", "a file of the Secret catalog.trustedKeysSecret"));

    @Test
    void everySettingIsRenderedFromValuesOrExcludedWithAReason() throws IOException {
        Set<String> rendered = renderedKeys();
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(CHART.resolve("values.yaml").toFile());
        String templates = templatesText();
        List<String> missing = new ArrayList<>();
        for (String key : ConfigKeys.ALL.keySet()) {
            if (NOT_FROM_VALUES.containsKey(key)) {
                continue;
            }
            String valuesPath = valuesPath(key);
            String[] parts = valuesPath.split("\\.");
            if (!rendered.contains(key)) {
                missing.add(key + " (not in templates/configmap.yaml)");
            } else if (values.path(parts[0]).path(parts[1]).isMissingNode()) {
                missing.add(key + " (no " + valuesPath + " in values.yaml)");
            } else if (!reads(templates, valuesPath)) {
                missing.add(key + " (no template reads .Values." + valuesPath + ")");
            }
        }
        assertEquals(List.of(), missing, "settings of ConfigKeys the Helm chart does not render from values.yaml;"
                + " add them to values.yaml (with a '# --' comment) and templates/configmap.yaml, or to NOT_FROM_VALUES with the reason");
    }

    @Test
    void exclusionsNameOnlyRealSettingsTheChartDoesNotRenderFromValues() throws IOException {
        Set<String> stale = new TreeSet<>(NOT_FROM_VALUES.keySet());
        stale.removeAll(ConfigKeys.ALL.keySet());
        assertEquals(Set.of(), stale, "NOT_FROM_VALUES names settings the node no longer has");
        String templates = templatesText();
        for (String key : NOT_FROM_VALUES.keySet()) {
            assertTrue(!reads(templates, valuesPath(key)),
                    key + " is rendered from .Values." + valuesPath(key) + ": take it off NOT_FROM_VALUES");
        }
    }

    /** Whether a template reads {@code .Values.<path>} itself (not a longer key such as {@code secretName} for {@code secret}). */
    private static boolean reads(String templates, String valuesPath) {
        return Pattern.compile("\\.Values\\." + Pattern.quote(valuesPath) + "(?![A-Za-z0-9])").matcher(templates).find();
    }

    /** {@code registry.access-ttl} -> {@code registry.accessTtl}, as values.yaml spells the keys. */
    private static String valuesPath(String key) {
        int dot = key.indexOf('.');
        Matcher m = Pattern.compile("-([a-z])").matcher(key.substring(dot + 1));
        StringBuilder b = new StringBuilder(key.substring(0, dot + 1));
        while (m.find()) {
            m.appendReplacement(b, m.group(1).toUpperCase(java.util.Locale.ROOT));
        }
        return m.appendTail(b).toString();
    }

    /**
     * The {@code section.key} names the ConfigMap's {@code node.yaml} can render: sections at the block's
     * first indent, keys one level below; template-only lines and list items are skipped.
     */
    private static Set<String> renderedKeys() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("templates").resolve("configmap.yaml"));
        int start = lines.indexOf("  node.yaml: |");
        assertTrue(start >= 0, "templates/configmap.yaml has a node.yaml block");
        Pattern section = Pattern.compile("^ {4}([a-z-]+):\\s*$");
        Pattern key = Pattern.compile("^ {6}([a-z-]+):.*$");
        Set<String> out = new LinkedHashSet<>();
        String current = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            Matcher s = section.matcher(line);
            Matcher k = key.matcher(line);
            if (s.matches()) {
                current = s.group(1);
            } else if (k.matches() && current != null) {
                out.add(current + "." + k.group(1));
            }
        }
        return out;
    }

    private static String templatesText() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            for (Path f : files.sorted().toList()) {
                b.append(Files.readString(f)).append('\n');
            }
        }
        return b.toString();
    }
}
