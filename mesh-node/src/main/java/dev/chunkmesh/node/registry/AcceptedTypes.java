package dev.chunkmesh.node.registry;

import dev.chunkmesh.catalog.oci.MediaTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The media types a client accepts for a manifest, gathered from every {@code Accept} header line it
 * sent (Docker sends one line per type, in no fixed order; others send one comma-joined line). Types
 * keep the client's order, duplicates and parameters dropped, so the origin negotiates exactly what the
 * client would have negotiated with it directly. A client that names no manifest type at all gets every
 * type this mirror serves, so the origin never falls back to converting an image to schema 1.
 */
record AcceptedTypes(List<String> types) {

    /** Longer {@code Accept} lists are cut: no registry client names more than a handful of types. */
    static final int MAX_TYPES = 32;

    AcceptedTypes {
        types = List.copyOf(types);
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one accepted type");
        }
    }

    /** The types named by {@code headerLines}, the values of every {@code Accept} line of a request. */
    static AcceptedTypes parse(List<String> headerLines) {
        Set<String> types = new LinkedHashSet<>();
        for (String line : headerLines) {
            for (String part : line.split(",")) {
                String type = part.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (!type.isEmpty() && types.size() < MAX_TYPES) {
                    types.add(type);
                }
            }
        }
        if (types.stream().noneMatch(t -> MediaTypes.isIndex(t) || MediaTypes.isManifest(t))) {
            List<String> all = new ArrayList<>(MediaTypes.ACCEPTED_MANIFESTS);
            types.stream().filter(t -> !all.contains(t)).forEach(all::add);
            return new AcceptedTypes(all);
        }
        return new AcceptedTypes(new ArrayList<>(types));
    }

    /** The value of the single {@code Accept} header sent to the origin. */
    String header() {
        return String.join(", ", types);
    }
}
