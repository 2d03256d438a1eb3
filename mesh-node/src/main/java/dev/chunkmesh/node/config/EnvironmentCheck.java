package dev.chunkmesh.node.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses {@code MESH_*} environment variables that name no setting, as unknown keys in the file or
 * on the command line are refused: a misspelt variable would otherwise be ignored without a word.
 */
final class EnvironmentCheck {

    /** {@code MESH_} variables read by the mesh's scripts and commands, not by the node's settings. */
    static final Set<String> NOT_SETTINGS = Set.of("MESH_JAVA_OPTS", "MESH_TOOLS", "MESH_REGISTRY_PASSWORD");

    private EnvironmentCheck() {
    }

    /**
     * @param passwordVariables variables a setting names as holding a password (origin.upstream-credentials)
     * @throws ConfigException naming every unknown variable, with the closest known one
     */
    static void refuseUnknown(Map<String, String> environment, Collection<String> passwordVariables) {
        Set<String> known = new TreeSet<>();
        ConfigKeys.ALL.values().forEach(k -> known.add(k.environmentVariable()));
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(environment.keySet())) {
            if (!name.startsWith("MESH_") || known.contains(name) || NOT_SETTINGS.contains(name) || passwordVariables.contains(name)) {
                continue;
            }
            problems.add(name + closest(name, known).map(c -> " (did you mean " + c + "?)").orElse(""));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("unknown environment variable" + (problems.size() > 1 ? "s " : " ") + String.join(", ", problems)
                    + ": every MESH_* variable must name a setting ('mesh node run --list-settings' lists them); unset it or fix its name");
        }
    }

    /** The candidate nearest to {@code name} by edit distance, if it is near enough to be a typo. */
    static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
