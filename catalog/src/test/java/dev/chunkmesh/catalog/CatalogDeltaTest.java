package dev.chunkmesh.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.store.TestData;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogDeltaTest {

    private final byte[] base = TestData.splitMix(1, 400_000);
    private final byte[] other = TestData.splitMix(2, 100_000);

    @Test
    void anIdenticalReleaseNeedsNothing() {
        Catalog v1 = TestCatalogs.single(1, "app", "v1", List.of(base, other), Optional.empty());
        CatalogDelta d = CatalogDelta.between(v1, v1);
        assertEquals(0, d.total().newBlobs());
        assertEquals(0, d.total().newBytes());
        assertEquals(v1.blobs().stream().mapToLong(BlobInfo::size).sum(), d.total().totalBytes());
    }

    @Test
    void aSmallEditInOneLayerMovesOnlyTheChunksAroundIt() {
        byte[] edited = base.clone();
        for (int i = 200_000; i < 200_100; i++) {
            edited[i] ^= 0x5a;
        }
        Catalog v1 = TestCatalogs.single(1, "app", "v1", List.of(base, other), Optional.empty());
        Catalog v2 = TestCatalogs.single(2, "app", "v2", List.of(edited, other), Optional.empty());
        CatalogDelta d = CatalogDelta.between(v1, v2);
        assertEquals(2, d.total().newBlobs(), "the edited layer and the config are new");
        assertTrue(d.total().newChunks() >= 1 && d.total().newChunks() <= 4, "chunks " + d.total().newChunks());
        assertTrue(d.total().newBytes() < 60_000, "new bytes " + d.total().newBytes());
        assertTrue(d.total().ratio() < 0.15, "ratio " + d.total().ratio());
        assertEquals(1, d.images().size());
        assertEquals("app:v2", d.images().get(0).reference());
    }

    @Test
    void aNewLayerMovesAllOfItsBytes() {
        Catalog v1 = TestCatalogs.single(1, "app", "v1", List.of(base), Optional.empty());
        Catalog v2 = TestCatalogs.single(2, "app", "v2", List.of(base, other), Optional.empty());
        CatalogDelta d = CatalogDelta.between(v1, v2);
        assertTrue(d.total().newBytes() >= other.length, "new bytes " + d.total().newBytes());
    }
}
