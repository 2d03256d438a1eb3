package dev.chunkmesh.catalog.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.CatalogJson;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.store.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A catalog with embedded Ed25519 signatures, as one canonical JSON document:
 * {@code {"catalog":{…},"signatures":[{"keyid":"sha256:…","sig":"<base64>"}]}}. Each signature covers the
 * canonical bytes of the {@code catalog} object. The whole file must itself be canonical, so a change
 * to any byte either breaks a signature or the canonical form.
 */
public final class SignedCatalog {

    /** A catalog that passed {@link #verify}: its content, the SHA-256 of its signed bytes, and the key that signed it. */
    public record Verified(Catalog catalog, Digest digest, String keyId) {}

    private SignedCatalog() {
    }

    /** Signs {@code catalog} with every key given. */
    public static byte[] sign(Catalog catalog, List<KeyFiles.SigningKey> keys) {
        byte[] payload = CatalogJson.toBytes(catalog);
        List<Object> signatures = new ArrayList<>();
        for (KeyFiles.SigningKey k : keys) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, k.key());
            signer.update(payload, 0, payload.length);
            signatures.add(new TreeMap<>(Map.of("keyid", k.keyId(), "sig", Base64.getEncoder().encodeToString(signer.generateSignature()))));
        }
        Map<String, Object> envelope = new TreeMap<>();
        envelope.put("catalog", CanonicalJson.read(payload, "catalog"));
        envelope.put("signatures", signatures);
        return CanonicalJson.write(envelope);
    }

    /**
     * Checks the signature against {@code trust} and the expiry against {@code now}, then parses the
     * catalog. Rollback is checked separately by {@link SeenCatalogs}.
     *
     * @throws CatalogRefusedException with the reason: malformed, unsigned, tampered, untrusted key or expired
     */
    public static Verified verify(byte[] file, TrustStore trust, Instant now) throws CatalogRefusedException {
        JsonNode root;
        try {
            root = CanonicalJson.read(file, "signed catalog");
        } catch (JsonFormatException e) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.MALFORMED, e.getMessage());
        }
        if (!root.isObject() || !root.has("catalog")) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.MALFORMED, "not a signed catalog: no 'catalog' object");
        }
        JsonNode signatures = root.get("signatures");
        if (signatures == null || !signatures.isArray() || signatures.isEmpty()) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.UNSIGNED, "the catalog carries no signature");
        }
        if (!Arrays.equals(file, CanonicalJson.write(root))) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.TAMPERED,
                    "the file is not in canonical form: it was changed after signing");
        }
        if (root.size() != 2) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.MALFORMED, "a signed catalog has only 'catalog' and 'signatures'");
        }
        byte[] payload = CanonicalJson.write(root.get("catalog"));
        String keyId = checkSignatures(signatures, payload, trust);
        Catalog catalog;
        try {
            catalog = CatalogJson.parse(payload);
        } catch (JsonFormatException e) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.MALFORMED, "signed but invalid: " + e.getMessage());
        }
        if (catalog.expiredAt(now)) {
            throw new CatalogRefusedException(CatalogRefusedException.Reason.EXPIRED,
                    "catalog " + catalog.sequence() + " expired at " + catalog.expires().orElseThrow() + " (now " + now + ")");
        }
        return new Verified(catalog, Digest.sha256(payload), keyId);
    }

    /**
     * The catalog inside a signed file, without checking any signature: for tools that compare
     * catalogs an operator already holds. Never use it to decide what a node serves.
     */
    public static Catalog readUnverified(byte[] file) {
        JsonNode root = CanonicalJson.read(file, "signed catalog");
        if (!root.isObject() || !root.has("catalog")) {
            throw new JsonFormatException("not a signed catalog: no 'catalog' object");
        }
        return CatalogJson.parse(CanonicalJson.write(root.get("catalog")));
    }

    private static String checkSignatures(JsonNode signatures, byte[] payload, TrustStore trust) throws CatalogRefusedException {
        List<String> untrusted = new ArrayList<>();
        for (JsonNode s : signatures) {
            JsonNode keyId = s.get("keyid");
            JsonNode sig = s.get("sig");
            if (keyId == null || !keyId.isTextual() || sig == null || !sig.isTextual() || s.size() != 2) {
                throw new CatalogRefusedException(CatalogRefusedException.Reason.MALFORMED, "a signature needs exactly 'keyid' and 'sig'");
            }
            var key = trust.key(keyId.textValue());
            if (key.isEmpty()) {
                untrusted.add(keyId.textValue());
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(sig.textValue());
            } catch (IllegalArgumentException e) {
                throw new CatalogRefusedException(CatalogRefusedException.Reason.TAMPERED, "the signature by " + keyId.textValue()
                        + " is not valid base64: it was changed after signing");
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key.get().key());
            verifier.update(payload, 0, payload.length);
            if (!verifier.verifySignature(raw)) {
                throw new CatalogRefusedException(CatalogRefusedException.Reason.TAMPERED, "the signature by trusted key "
                        + keyId.textValue() + " does not match the catalog: it was changed after signing");
            }
            return keyId.textValue();
        }
        throw new CatalogRefusedException(CatalogRefusedException.Reason.UNTRUSTED_KEY,
                "signed only by keys not in the trust store: " + String.join(", ", untrusted));
    }
}
