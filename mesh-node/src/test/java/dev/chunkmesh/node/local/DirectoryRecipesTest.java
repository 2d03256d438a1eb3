package dev.chunkmesh.node.local;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.RecipesContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRecipesTest extends RecipesContract {

    @TempDir
    Path dir;

    @Override
    protected Recipes newRecipes() {
        return new DirectoryRecipes(dir.resolve("recipes"));
    }
}
