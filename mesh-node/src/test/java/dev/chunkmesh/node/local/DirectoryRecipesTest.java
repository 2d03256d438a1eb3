package dev.chunkmesh.node.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.RecipesContract;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.TinyFileSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
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

    @Test
    void aRecipeThatFindsTheDeviceFullIsLeftOutWithNothingHalfWrittenAndWrittenOnceThereIsRoom() throws Exception {
        try (TinyFileSystem disk = TinyFileSystem.mount(dir.resolve("tiny"), "1m")) {
            DirectoryRecipes recipes = new DirectoryRecipes(disk.path().resolve("recipes"));
            List<ChunkRef> chunks = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                chunks.add(new ChunkRef(i * 10L, 10, Digest.sha256(("chunk " + i).getBytes())));
            }
            Recipe r = new Recipe(Digest.sha256("a blob of 2000 chunks".getBytes()), 20_000, chunks);
            Path filler = disk.path().resolve("other-program.fill");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                assertTrue(full.getMessage().contains("No space left"), full.getMessage());
            }
            recipes.publish(r);
            assertFalse(recipes.has(r.blob()));
            assertTrue(recipes.find(r.blob()).isEmpty());
            try (Stream<Path> left = Files.list(disk.path().resolve("recipes"))) {
                assertEquals(List.of(), left.toList(), "no temp file stays behind");
            }
            Files.delete(filler);
            recipes.publish(r);
            assertEquals(Optional.of(r), recipes.find(r.blob()));
        }
    }
}
