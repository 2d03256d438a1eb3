package dev.chunkmesh.node.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.chunkmesh.catalog.RecipeJson;
import dev.chunkmesh.catalog.oci.ManifestDocument;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.node.config.ConfigException;
import dev.chunkmesh.node.config.ConfigLoader;
import dev.chunkmesh.node.registry.ByteRange;
import dev.chunkmesh.node.registry.RegistryError;
import dev.chunkmesh.node.registry.RegistryPath;
import dev.chunkmesh.store.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every parser at the node's edge, fed arbitrary input by Jazzer: each must return a value or refuse
 * with its own documented exception; anything else (a NullPointerException, an index out of bounds,
 * a hang) is a finding. `mvn verify` runs these in regression mode over the saved inputs; fuzz for
 * real with {@code JAZZER_FUZZ=1 mvn test -pl mesh-node -Dtest=EdgeParsersFuzzTest#METHOD}.
 */
class EdgeParsersFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void digests(byte[] input) {
        try {
            Digest d = Digest.parse(new String(input, StandardCharsets.ISO_8859_1));
            if (!Digest.parse(d.toString()).equals(d)) {
                throw new AssertionError("a digest does not round-trip: " + d);
            }
        } catch (IllegalArgumentException refused) {
            // bad input, refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void registryPathsAndRanges(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        try {
            RegistryPath p = RegistryPath.parse(text);
            if (p instanceof RegistryPath.Manifest m && (m.name().contains("..") || m.name().contains("%"))) {
                throw new AssertionError("a dangerous name got through: " + m.name());
            }
        } catch (RegistryError refused) {
            // a 4xx in the registry's error format
        }
        try {
            ByteRange.parse(text, input.length == 0 ? 0 : (input[0] & 0xff) * 1000L);
        } catch (RegistryError | NumberFormatException refused) {
            // 416, or a number too long for a long
        }
    }

    @FuzzTest(maxDuration = "30s")
    void recipesCatalogsAndManifests(byte[] input) {
        try {
            RecipeJson.parse(input);
        } catch (IllegalArgumentException refused) {
            // refused with its path
        }
        try {
            SignedCatalog.readUnverified(input);
        } catch (IllegalArgumentException refused) {
            // refused with its path
        }
        try {
            ManifestDocument.parse(input, null);
        } catch (IllegalArgumentException refused) {
            // refused with its path
        }
    }

    @FuzzTest(maxDuration = "30s")
    void configFiles(byte[] input) throws Exception {
        Path file = Files.createTempFile("fuzz-config", ".yaml");
        try {
            Files.write(file, input);
            ConfigLoader.load(Optional.of(file), Map.of(), Map.of("node.name", "fuzz"));
        } catch (ConfigException refused) {
            // refused with its key
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
