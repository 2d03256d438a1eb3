package dev.chunkmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The node's packages point one way, as the modules do: wiring at the top, no package reaching back up. */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "chunkmesh", "node");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.chunkmesh\\.node\\.(?:([a-z]+)\\.)?[A-Z]", Pattern.MULTILINE);
    private static final String ROOT = "(node)";

    @Test
    void theNodesPackagesImportEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertTrue(imports.size() > 5, "read the node's packages: " + imports.keySet());
        List<String> cycle = firstCycle(imports);
        assertEquals(List.of(), cycle, "a cycle of package imports (each imports the next): " + cycle);
    }

    @Test
    void aCycleIsFoundWhereThereIsOne() {
        Map<String, Set<String>> imports = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        List<String> cycle = firstCycle(imports);
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(cycle.subList(0, cycle.size() - 1)));
        assertEquals(cycle.get(0), cycle.get(cycle.size() - 1), "it closes on itself");
    }

    /** For each package of the node (the root package as {@code (node)}), the other node packages its sources import. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Path dir = SOURCES.relativize(f.getParent());
                String pkg = dir.toString().isEmpty() ? ROOT : dir.toString().replace('/', '.');
                Set<String> to = out.computeIfAbsent(pkg, p -> new TreeSet<>());
                try {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        String target = m.group(1) == null ? ROOT : m.group(1);
                        if (!target.equals(pkg) && !pkg.startsWith(target + ".")) {
                            to.add(target);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    /** A cycle in the graph as a path that ends where it starts, or empty if there is none. */
    private static List<String> firstCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 2) {
            return List.of();
        }
        path.add(node);
        if (s == 1) {
            return List.copyOf(path.subList(path.indexOf(node), path.size()));
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = visit(next, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return List.of();
    }
}
