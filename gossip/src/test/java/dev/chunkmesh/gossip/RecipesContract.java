package dev.chunkmesh.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.Recipe;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link Recipes} must do; each test uses blobs of its own. */
public abstract class RecipesContract {

    protected abstract Recipes newRecipes() throws Exception;

    @Test
    void aPublishedRecipeIsFoundByItsBlob() throws Exception {
        Recipes r = newRecipes();
        Recipe recipe = Nodes.recipe(7, 1000);
        r.publish(recipe);
        assertEquals(Optional.of(recipe), r.find(recipe.blob()));
    }

    @Test
    void anUnknownBlobHasNoRecipe() throws Exception {
        assertTrue(newRecipes().find(Nodes.recipe(3, 17).blob()).isEmpty());
    }

    @Test
    void aForgottenRecipeIsGoneAndForgettingAnUnknownOneDoesNothing() throws Exception {
        Recipes r = newRecipes();
        Recipe recipe = Nodes.recipe(5, 2048);
        r.publish(recipe);
        assertTrue(r.has(recipe.blob()));
        r.forget(recipe.blob());
        assertTrue(r.find(recipe.blob()).isEmpty());
        assertFalse(r.has(recipe.blob()));
        r.forget(Nodes.recipe(6, 99).blob());
    }

    @Test
    void publishingTwiceKeepsOneRecipe() throws Exception {
        Recipes r = newRecipes();
        Recipe recipe = Nodes.recipe(2, 4096);
        r.publish(recipe);
        r.publish(recipe);
        assertEquals(Optional.of(recipe), r.find(recipe.blob()));
    }
}
