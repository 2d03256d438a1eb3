package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.RecipesContract;

class InMemoryRecipesTest extends RecipesContract {
    @Override
    protected Recipes newRecipes() {
        return new InMemoryRecipes();
    }
}
