package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.chunkmesh.catalog.RecipeJson;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Recipes} in a Hazelcast map of canonical recipe JSON keyed by blob digest. What comes back is
 * parsed strictly and must be the recipe of the blob asked for; anything else is treated as absent,
 * so a member that wrote garbage costs a cold pull, never a wrong blob. Calls block: keep them off
 * event loops.
 */
public final class HazelcastRecipes implements Recipes {

    static final String MAP = "mesh.recipes";
    private final IMap<String, byte[]> map;

    public HazelcastRecipes(HazelcastInstance hazelcast) {
        this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(MAP);
    }

    @Override
    public Optional<Recipe> find(Digest blob) {
        byte[] bytes = map.get(blob.toString());
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            Recipe r = RecipeJson.parse(bytes);
            return r.blob().equals(blob) ? Optional.of(r) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public void publish(Recipe recipe) {
        map.set(recipe.blob().toString(), RecipeJson.toBytes(recipe));
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
