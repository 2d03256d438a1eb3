package dev.chunkmesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.json.JsonFields;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON form of a {@link Recipe}:
 * {@code {"blob":"sha256:…","chunks":[{"digest":"sha256:…","length":N,"offset":N},…],"size":N}}.
 * A recipe round-trips byte-exactly, and its own content digest is the SHA-256 of these bytes.
 */
public final class RecipeJson {
    private RecipeJson() {
    }

    public static byte[] toBytes(Recipe recipe) {
        return CanonicalJson.write(toTree(recipe));
    }

    /** The recipe's content digest: SHA-256 of its canonical JSON. */
    public static Digest digestOf(Recipe recipe) {
        return Digest.sha256(toBytes(recipe));
    }

    /** @throws dev.chunkmesh.catalog.json.JsonFormatException if the bytes are not a valid recipe */
    public static Recipe parse(byte[] bytes) {
        return fromTree(CanonicalJson.read(bytes, "recipe"), "recipe");
    }

    static Map<String, Object> toTree(Recipe recipe) {
        Map<String, Object> m = new TreeMap<>();
        m.put("blob", recipe.blob().toString());
        m.put("size", recipe.size());
        List<Object> chunks = new ArrayList<>(recipe.chunks().size());
        for (ChunkRef c : recipe.chunks()) {
            Map<String, Object> cm = new TreeMap<>();
            cm.put("digest", c.digest().toString());
            cm.put("length", c.length());
            cm.put("offset", c.offset());
            chunks.add(cm);
        }
        m.put("chunks", chunks);
        return m;
    }

    static Recipe fromTree(JsonNode node, String path) {
        JsonFields f = new JsonFields(node, path);
        Digest blob = f.digest("blob");
        long size = f.number("size");
        List<ChunkRef> chunks = f.list("chunks", (n, p) -> {
            JsonFields c = new JsonFields(n, p);
            Digest d = c.digest("digest");
            long length = c.number("length");
            long offset = c.number("offset");
            c.end();
            return c.build(() -> new ChunkRef(offset, Math.toIntExact(length), d));
        });
        f.end();
        return f.build(() -> new Recipe(blob, size, chunks));
    }
}
