package dev.chunkmesh.node.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.RecipesContract;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRecipesTest extends RecipesContract {

    @TempDir
    Path dir;

    @Override
    protected Recipes newRecipes() {
        return new DirectoryRecipes(dir.resolve("recipes"));
    }

    @Test
    void aRecipeKeptInMemoryIsNotServedOnceItsFileIsGone() throws Exception {
        DirectoryRecipes recipes = new DirectoryRecipes(dir.resolve("kept"));
        byte[] chunk = "one chunk".getBytes();
        Digest d = Digest.sha256(chunk);
        Recipe r = new Recipe(d, chunk.length, List.of(new ChunkRef(0, chunk.length, d)));
        recipes.publish(r);
        assertEquals(Optional.of(r), recipes.find(d));
        assertEquals(Optional.of(r), recipes.find(d), "again, from memory");
        Files.delete(dir.resolve("kept").resolve(d.hex() + ".json"));
        assertTrue(recipes.find(d).isEmpty());
    }
}
