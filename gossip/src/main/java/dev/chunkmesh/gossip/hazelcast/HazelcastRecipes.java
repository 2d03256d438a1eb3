package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.chunkmesh.catalog.RecipeJson;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Recipes} in a Hazelcast map of canonical recipe JSON keyed by blob digest, each sealed
 * ({@link Seal}) by the node that published it. What comes back must carry a seal that checks, parse
 * strictly and be the recipe of the blob asked for; anything else is treated as absent, so a member
 * without the cluster secret that wrote an entry costs a cold pull, never a wrong blob. Calls block:
 * keep them off event loops.
 */
public final class HazelcastRecipes implements Recipes {

    /** Versioned: entries are sealed since v2, and a node of an older version neither reads nor writes them. */
    static final String MAP = "mesh.recipes.v2";
    private static final int TAG = 64;
    private final IMap<String, byte[]> map;
    private final Seal seal;

    public HazelcastRecipes(HazelcastInstance hazelcast, Seal seal) {
        this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(MAP);
        this.seal = Objects.requireNonNull(seal, "seal");
    }

    @Override
    public Optional<Recipe> find(Digest blob) {
        byte[] bytes = map.get(blob.toString());
        if (bytes == null || bytes.length <= TAG) {
            return Optional.empty();
        }
        String tag = new String(bytes, 0, TAG, StandardCharsets.US_ASCII);
        byte[] json = Arrays.copyOfRange(bytes, TAG, bytes.length);
        if (!seal.check(tag, "recipe", blob.toString(), new String(json, StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        try {
            Recipe r = RecipeJson.parse(json);
            return r.blob().equals(blob) ? Optional.of(r) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public void publish(Recipe recipe) {
        byte[] json = RecipeJson.toBytes(recipe);
        byte[] tag = seal.tag("recipe", recipe.blob().toString(), new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        byte[] value = Arrays.copyOf(tag, TAG + json.length);
        System.arraycopy(json, 0, value, TAG, json.length);
        map.set(recipe.blob().toString(), value);
    }

    @Override
    public boolean has(Digest blob) {
        return map.containsKey(blob.toString());
    }

    @Override
    public void forget(Digest blob) {
        map.delete(blob.toString());
    }
}
