package dev.chunkmesh.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeJsonTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    @Test
    void writesSortedKeysWithoutWhitespace() {
        Recipe r = new Recipe(Digest.parse(A), 30, List.of(new ChunkRef(0, 10, Digest.parse(B)), new ChunkRef(10, 20, Digest.parse(C))));
        String expected = "{\"blob\":\"" + A + "\",\"chunks\":[{\"digest\":\"" + B + "\",\"length\":10,\"offset\":0},"
                + "{\"digest\":\"" + C + "\",\"length\":20,\"offset\":10}],\"size\":30}";
        assertEquals(expected, new String(RecipeJson.toBytes(r), StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsByteExactlyAndKeepsItsDigest() {
        Recipe r = TestCatalogs.recipe(TestData.splitMix(1, 200_000));
        byte[] bytes = RecipeJson.toBytes(r);
        Recipe back = RecipeJson.parse(bytes);
        assertEquals(r, back);
        assertArrayEquals(bytes, RecipeJson.toBytes(back));
        assertEquals(Digest.sha256(bytes), RecipeJson.digestOf(back));
    }

    @Test
    void refusesRecipesThatDoNotTileTheBlob() {
        String gap = "{\"blob\":\"" + A + "\",\"chunks\":[{\"digest\":\"" + B + "\",\"length\":10,\"offset\":5}],\"size\":15}";
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> RecipeJson.parse(gap.getBytes()));
        assertTrue(e.getMessage().contains("starts at 5"), e.getMessage());
    }

    @Test
    void refusesUnknownFieldsWrongTypesAndBadDigests() {
        assertRefused("{\"blob\":\"" + A + "\",\"chunks\":[],\"size\":0,\"extra\":1}", "unknown field 'extra'");
        assertRefused("{\"blob\":\"" + A + "\",\"chunks\":[],\"size\":\"0\"}", "recipe.size must be an integer");
        assertRefused("{\"blob\":\"" + A + "\",\"chunks\":[],\"size\":0.5}", "recipe.size must be an integer");
        assertRefused("{\"blob\":\"sha256:XYZ\",\"chunks\":[],\"size\":0}", "recipe.blob");
        assertRefused("{\"blob\":\"" + A + "\",\"chunks\":[{\"digest\":\"" + B + "\",\"length\":0,\"offset\":0}],\"size\":0}",
                "recipe.chunks[0]");
        assertRefused("{\"blob\":\"" + A + "\",\"blob\":\"" + A + "\",\"chunks\":[],\"size\":0}", "not valid JSON");
        assertRefused("{\"blob\":\"" + A + "\",\"chunks\":[],\"size\":0} {}", "not valid JSON");
        assertRefused("[]", "must be a JSON object");
    }

    private static void assertRefused(String json, String part) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> RecipeJson.parse(json.getBytes()));
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
    }
}
