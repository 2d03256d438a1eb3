package dev.chunkmesh.catalog.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Canonical JSON: object keys sorted, no insignificant whitespace, integers only, UTF-8. The same
 * document always serializes to the same bytes, so its SHA-256 and signatures are stable.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private CanonicalJson() {
    }

    /** Canonical bytes of a tree of maps, lists, strings, integers and booleans. */
    public static byte[] write(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + tree.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Canonical bytes of a parsed document. */
    public static byte[] write(JsonNode node) {
        try {
            return write(MAPPER.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree: " + e.getMessage(), e);
        }
    }

    /**
     * Parses one JSON document strictly: no duplicate keys, nothing after it.
     *
     * @throws JsonFormatException naming the problem and where it is
     */
    public static JsonNode read(byte[] bytes, String what) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new JsonFormatException(what + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new JsonFormatException(what + " is not valid JSON: " + originalMessage(e), e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
