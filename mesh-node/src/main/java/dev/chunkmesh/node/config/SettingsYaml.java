package dev.chunkmesh.node.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Effective settings as the YAML of a config file: one section per first word of the key, each value
 * followed by where it came from ({@code # default}, {@code # flag}, a file or a variable). Secrets
 * are shown only as whether they are set.
 */
final class SettingsYaml {

    /** A setting's value as given, and its source. */
    record Setting(String text, String source) {}

    static final Set<String> SECRETS = Set.of("cluster.secret", "origin.password", "tiers.upper-secret", "tiers.lower-secret");

    private SettingsYaml() {
    }

    static String render(Map<String, Setting> settings) {
        StringBuilder out = new StringBuilder();
        String section = "";
        for (Map.Entry<String, Setting> e : settings.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            String head = key.substring(0, dot);
            if (!head.equals(section)) {
                out.append(head).append(":\n");
                section = head;
            }
            Setting s = e.getValue();
            String value;
            if (SECRETS.contains(key)) {
                value = s.text().isEmpty() ? "\"\"" : "\"(set, hidden)\"";
            } else {
                value = scalar(s.text());
            }
            out.append("  ").append(key.substring(dot + 1)).append(": ").append(value).append("  # ").append(s.source()).append('\n');
        }
        return out.toString();
    }

    /** A YAML scalar: plain where YAML reads it back as the same string, double-quoted otherwise. */
    static String scalar(String text) {
        boolean plain = !text.isEmpty() && text.matches("[A-Za-z0-9_./@+-][A-Za-z0-9_./@:=,+ -]*")
                && !text.endsWith(" ") && !text.contains(": ") && !text.contains(" #")
                && !Set.of("yes", "no", "on", "off", "null", "~").contains(text.toLowerCase(Locale.ROOT));
        if (plain) {
            return text;
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
