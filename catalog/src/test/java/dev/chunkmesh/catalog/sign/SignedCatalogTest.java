package dev.chunkmesh.catalog.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.CatalogJson;
import dev.chunkmesh.catalog.TestCatalogs;
import dev.chunkmesh.store.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedCatalogTest {

    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path dir;
    private KeyFiles.SigningKey key;
    private TrustStore trust;

    @BeforeEach
    void keys() throws IOException {
        key = KeyFiles.generate(dir.resolve("keys"), new SecureRandom());
        trust = TrustStore.load(dir.resolve("keys/catalog.pub"));
    }

    private static Catalog catalog(long sequence) {
        return TestCatalogs.single(sequence, "library/app", "v" + sequence, List.of(TestData.splitMix(sequence, 20_000)),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")));
    }

    private static CatalogRefusedException.Reason refusal(byte[] file, TrustStore trust, Instant now) {
        try {
            SignedCatalog.verify(file, trust, now);
            return null;
        } catch (CatalogRefusedException e) {
            return e.reason();
        }
    }

    @Test
    void acceptsACatalogSignedByATrustedKey() throws Exception {
        Catalog c = catalog(1);
        SignedCatalog.Verified v = SignedCatalog.verify(SignedCatalog.sign(c, List.of(key)), trust, NOW);
        assertEquals(c, v.catalog());
        assertEquals(key.keyId(), v.keyId());
    }

    @Test
    void refusesAnUnsignedCatalog() {
        String unsigned = "{\"catalog\":" + new String(CatalogJson.toBytes(catalog(1)), StandardCharsets.UTF_8) + ",\"signatures\":[]}";
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class,
                () -> SignedCatalog.verify(unsigned.getBytes(StandardCharsets.UTF_8), trust, NOW));
        assertEquals(CatalogRefusedException.Reason.UNSIGNED, e.reason());
        assertTrue(e.getMessage().contains("no signature"), e.getMessage());
    }

    @Test
    void refusesAChangedValueAsTampered() {
        String signed = new String(SignedCatalog.sign(catalog(1), List.of(key)), StandardCharsets.UTF_8);
        String changed = signed.replace("\"tag\":\"v1\"", "\"tag\":\"v9\"");
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class,
                () -> SignedCatalog.verify(changed.getBytes(StandardCharsets.UTF_8), trust, NOW));
        assertEquals(CatalogRefusedException.Reason.TAMPERED, e.reason());
        assertTrue(e.getMessage().contains("does not match the catalog"), e.getMessage());
    }

    @Test
    void refusesEverySingleFlippedByte() {
        byte[] signed = SignedCatalog.sign(catalog(1), List.of(key));
        int refused = 0;
        for (int i = 0; i < signed.length; i++) {
            for (int bit : new int[] {0x01, 0x20}) {
                byte[] bad = signed.clone();
                bad[i] ^= bit;
                if (refusal(bad, trust, NOW) == null) {
                    fail("flipping bit " + bit + " of byte " + i + " ('" + (char) signed[i] + "') was accepted");
                }
                refused++;
            }
        }
        assertEquals(2 * signed.length, refused);
    }

    @Test
    void refusesASignatureByAnUntrustedKey() throws IOException {
        KeyFiles.SigningKey stranger = KeyFiles.generate(dir.resolve("stranger"), new SecureRandom());
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class,
                () -> SignedCatalog.verify(SignedCatalog.sign(catalog(1), List.of(stranger)), trust, NOW));
        assertEquals(CatalogRefusedException.Reason.UNTRUSTED_KEY, e.reason());
        assertTrue(e.getMessage().contains(stranger.keyId()), e.getMessage());
    }

    @Test
    void acceptsEitherKeyWhileAKeyIsRotated() throws Exception {
        KeyFiles.SigningKey next = KeyFiles.generate(dir.resolve("next"), new SecureRandom());
        Files.copy(dir.resolve("next/catalog.pub"), dir.resolve("keys/next.pub"));
        TrustStore both = TrustStore.load(dir.resolve("keys"));
        assertEquals(2, both.size());
        assertEquals(next.keyId(), SignedCatalog.verify(SignedCatalog.sign(catalog(1), List.of(next)), both, NOW).keyId());
        assertEquals(key.keyId(), SignedCatalog.verify(SignedCatalog.sign(catalog(1), List.of(key)), both, NOW).keyId());
    }

    @Test
    void refusesAnExpiredCatalog() {
        byte[] signed = SignedCatalog.sign(catalog(1), List.of(key));
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class,
                () -> SignedCatalog.verify(signed, trust, Instant.parse("2027-01-01T00:00:01Z")));
        assertEquals(CatalogRefusedException.Reason.EXPIRED, e.reason());
        assertTrue(e.getMessage().contains("expired at 2027-01-01T00:00:00Z"), e.getMessage());
    }

    @Test
    void refusesAnOlderCatalogUnlessTheRollbackNamesIt() throws Exception {
        SeenCatalogs seen = new SeenCatalogs(dir.resolve("seen.json"));
        seen.admit(SignedCatalog.verify(SignedCatalog.sign(catalog(5), List.of(key)), trust, NOW), OptionalLong.empty());
        SignedCatalog.Verified old = SignedCatalog.verify(SignedCatalog.sign(catalog(3), List.of(key)), trust, NOW);
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class, () -> seen.admit(old, OptionalLong.empty()));
        assertEquals(CatalogRefusedException.Reason.ROLLBACK, e.reason());
        assertTrue(e.getMessage().contains("--allow-rollback-to 3"), e.getMessage());
        assertThrows(CatalogRefusedException.class, () -> seen.admit(old, OptionalLong.of(4)));
        seen.admit(old, OptionalLong.of(3));
        assertEquals(3, seen.newest().orElseThrow().sequence());
    }

    @Test
    void refusesADifferentCatalogWithTheSameSequence() throws Exception {
        SeenCatalogs seen = new SeenCatalogs(dir.resolve("seen.json"));
        seen.admit(SignedCatalog.verify(SignedCatalog.sign(catalog(2), List.of(key)), trust, NOW), OptionalLong.empty());
        seen.admit(SignedCatalog.verify(SignedCatalog.sign(catalog(2), List.of(key)), trust, NOW), OptionalLong.empty());
        Catalog other = TestCatalogs.single(2, "library/other", "v2", List.of(TestData.splitMix(77, 1000)), Optional.empty());
        SignedCatalog.Verified fork = SignedCatalog.verify(SignedCatalog.sign(other, List.of(key)), trust, NOW);
        CatalogRefusedException e = assertThrows(CatalogRefusedException.class, () -> seen.admit(fork, OptionalLong.empty()));
        assertEquals(CatalogRefusedException.Reason.CONFLICT, e.reason());
    }

    @Test
    void writesThePrivateKeyReadableOnlyByItsOwner() throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("keys/catalog.key"));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
        assertTrue(Files.readString(dir.resolve("keys/catalog.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("keys/catalog.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals(key.keyId(), KeyFiles.readPrivate(dir.resolve("keys/catalog.key")).keyId());
        assertThrows(FileAlreadyExistsException.class, () -> KeyFiles.generate(dir.resolve("keys"), new SecureRandom()));
    }

    @Test
    void refusesKeyFilesOfTheWrongKind() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.readPublic(dir.resolve("keys/catalog.key")));
        assertTrue(e.getMessage().contains("expected 'PUBLIC KEY'"), e.getMessage());
        Files.writeString(dir.resolve("junk.pub"), "hello");
        assertThrows(IllegalArgumentException.class, () -> KeyFiles.readPublic(dir.resolve("junk.pub")));
    }
}
