package dev.chunkmesh.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.TestData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogJsonTest {

    private final Catalog catalog = TestCatalogs.single(3, "library/app", "v1",
            List.of(TestData.splitMix(1, 50_000), TestData.compressible(2, 30_000)), Optional.of(Instant.parse("2027-01-01T00:00:00Z")));

    @Test
    void roundTripsByteExactly() {
        byte[] bytes = CatalogJson.toBytes(catalog);
        Catalog back = CatalogJson.parse(bytes);
        assertEquals(catalog, back);
        assertArrayEquals(bytes, CatalogJson.toBytes(back));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"blobs\":[{\"digest\":"), text.substring(0, 40));
        assertTrue(text.contains("\"expires\":\"2027-01-01T00:00:00Z\""));
    }

    @Test
    void refusesAnotherFormatVersion() {
        String text = new String(CatalogJson.toBytes(catalog), StandardCharsets.UTF_8).replace("\"format\":1", "\"format\":2");
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> CatalogJson.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("format is 2"), e.getMessage());
    }

    @Test
    void refusesAnIncompleteCatalog() {
        Digest missing = Digest.sha256(new byte[] {9});
        ImageEntry image = new ImageEntry("library/app", "v2", missing, List.of(), List.of(missing));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Catalog(1, Instant.now(), Optional.empty(), List.of(image), List.of(), Map.of()));
        assertTrue(e.getMessage().contains("does not describe"), e.getMessage());
    }

    @Test
    void refusesAnExpiryBeforeCreation() {
        assertThrows(IllegalArgumentException.class, () -> new Catalog(1, Instant.parse("2026-01-02T00:00:00Z"),
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")), List.of(), List.of(), Map.of()));
    }

    @Test
    void enforcesTheRepositoryAndTagGrammar() {
        Digest d = Digest.sha256(new byte[] {1});
        assertThrows(IllegalArgumentException.class, () -> new ImageEntry("Library/App", "v1", d, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ImageEntry("../etc", "v1", d, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ImageEntry("app", "-v1", d, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ImageEntry("app", "v".repeat(129), d, List.of(), List.of()));
        assertEquals("a.b/c__d/e-f:1.0_x", new ImageEntry("a.b/c__d/e-f", "1.0_x", d, List.of(), List.of()).reference());
    }
}
