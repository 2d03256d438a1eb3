package dev.chunkmesh.catalog.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.store.Digest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Reads the fields of one JSON object strictly: each field has the expected type, and {@link #end}
 * refuses any field that was not read. Errors name the path of the offending value.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    public JsonFields(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new JsonFormatException(path + " must be a JSON object");
        }
        this.node = node;
        this.path = path;
    }

    private JsonNode field(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new JsonFormatException(path + "." + key + " is missing");
        }
        return v;
    }

    public String text(String key) {
        JsonNode v = field(key);
        if (!v.isTextual()) {
            throw new JsonFormatException(path + "." + key + " must be a string");
        }
        return v.textValue();
    }

    public Optional<String> optionalText(String key) {
        read.add(key);
        return node.hasNonNull(key) ? Optional.of(text(key)) : Optional.empty();
    }

    public long number(String key) {
        JsonNode v = field(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new JsonFormatException(path + "." + key + " must be an integer");
        }
        return v.longValue();
    }

    public Digest digest(String key) {
        return digestValue(field(key), path + "." + key);
    }

    /** A JSON string holding a digest, at {@code path}. */
    public static Digest digestValue(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new JsonFormatException(path + " must be a digest string");
        }
        try {
            return Digest.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(path + ": " + e.getMessage(), e);
        }
    }

    public Instant instant(String key) {
        return parseInstant(key, text(key));
    }

    public Optional<Instant> optionalInstant(String key) {
        return optionalText(key).map(t -> parseInstant(key, t));
    }

    private Instant parseInstant(String key, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new JsonFormatException(path + "." + key + " must be a UTC time like 2026-01-31T12:00:00Z, got '" + text + "'");
        }
    }

    public JsonFields object(String key) {
        return new JsonFields(field(key), path + "." + key);
    }

    /** Maps each element of the array {@code key}; {@code item} gets the element and its path. */
    public <T> List<T> list(String key, BiFunction<JsonNode, String, T> item) {
        JsonNode v = field(key);
        if (!v.isArray()) {
            throw new JsonFormatException(path + "." + key + " must be an array");
        }
        List<T> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(item.apply(v.get(i), path + "." + key + "[" + i + "]"));
        }
        return out;
    }

    /** Refuses fields that were not read: unknown fields are not silently ignored. */
    public void end() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                throw new JsonFormatException(path + " has an unknown field '" + name + "'");
            }
        }
    }

    /** Turns a constructor's refusal into a format error at this path. */
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (JsonFormatException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
            throw new JsonFormatException(path + ": " + e.getMessage(), e);
        }
    }
}
