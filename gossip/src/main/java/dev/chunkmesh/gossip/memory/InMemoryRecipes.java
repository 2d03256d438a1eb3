package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Recipes} in one JVM's memory, for unit tests and the simulator. */
public final class InMemoryRecipes implements Recipes {
    private final Map<Digest, Recipe> recipes = new ConcurrentHashMap<>();

    @Override
    public Optional<Recipe> find(Digest blob) {
        return Optional.ofNullable(recipes.get(blob));
    }

    @Override
    public void publish(Recipe recipe) {
        recipes.put(recipe.blob(), recipe);
    }

    @Override
    public boolean has(Digest blob) {
        return recipes.containsKey(blob);
    }

    @Override
    public void forget(Digest blob) {
        recipes.remove(blob);
    }
}
