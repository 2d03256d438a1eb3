package dev.chunkmesh.node.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialRecipesTest {

    @TempDir
    Path dir;

    private static final Digest BLOB = Digest.sha256("the blob".getBytes());

    private static ChunkRef chunk(long offset, int length) {
        return new ChunkRef(offset, length, Digest.sha256(("chunk at " + offset).getBytes()));
    }

    @Test
    void readsBackTheChunksThatTileTheBlobFromItsStartWhateverOrderTheyWereStoredIn() {
        PartialRecipes partial = new PartialRecipes(dir);
        try (PartialRecipes.Journal j = partial.open(BLOB, List.of(chunk(0, 10)))) {
            j.append(chunk(25, 5));
            j.append(chunk(10, 15));
            j.append(chunk(30, 7));
        }
        assertEquals(List.of(chunk(0, 10), chunk(10, 15), chunk(25, 5), chunk(30, 7)), partial.read(BLOB));
    }

    @Test
    void leavesOutATornLineAndWhatFollowsAGap() throws Exception {
        PartialRecipes partial = new PartialRecipes(dir);
        try (PartialRecipes.Journal j = partial.open(BLOB, List.of(chunk(0, 10), chunk(10, 10)))) {
            j.append(chunk(30, 10));
        }
        Files.writeString(dir.resolve(BLOB.hex() + ".partial"), "20 10 sha256:ab", StandardOpenOption.APPEND);
        assertEquals(List.of(chunk(0, 10), chunk(10, 10)), partial.read(BLOB));
    }

    @Test
    void openingAgainKeepsOnlyThePrefixGivenAndDeleteForgetsTheBlob() {
        PartialRecipes partial = new PartialRecipes(dir);
        try (PartialRecipes.Journal j = partial.open(BLOB, List.of(chunk(0, 10), chunk(10, 10), chunk(20, 10)))) {
            j.append(chunk(30, 10));
        }
        partial.open(BLOB, List.of(chunk(0, 10))).close();
        assertEquals(List.of(chunk(0, 10)), partial.read(BLOB));
        partial.delete(BLOB);
        assertEquals(List.of(), partial.read(BLOB));
    }
}
