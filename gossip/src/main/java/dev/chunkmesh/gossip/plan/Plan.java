package dev.chunkmesh.gossip.plan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which source serves each chunk a node is missing. Every missing chunk appears in exactly one
 * assignment; chunks held locally appear in none.
 *
 * @param bytesBySource bytes of the blob per source, {@link SourceKind#LOCAL} included
 */
public record Plan(List<Assignment> assignments, Map<SourceKind, Long> bytesBySource) {
    public Plan {
        assignments = List.copyOf(assignments);
        EnumMap<SourceKind, Long> copy = new EnumMap<>(SourceKind.class);
        for (SourceKind k : SourceKind.values()) {
            copy.put(k, bytesBySource.getOrDefault(k, 0L));
        }
        bytesBySource = Collections.unmodifiableMap(copy);
    }

    public boolean nothingToFetch() {
        return assignments.isEmpty();
    }
}
