package dev.chunkmesh.node.admin;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.ImageEntry;
import dev.chunkmesh.catalog.sign.SeenCatalogs;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.catalog.sign.TrustStore;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Admits a signed catalog for prefetch: verified against the node's trusted keys, refused if older
 * than one already seen, kept on disk as the node's newest catalog, its recipes shared with the POP
 * so no node needs to chunk those blobs from the origin, and its manifests kept so its tags resolve
 * while the origin is down. Blocks: run on a worker.
 */
final class Prefetch {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Prefetch.class.getName());
    private final MeshNode node;

    Prefetch(MeshNode node) {
        this.node = node;
    }

    /** The blobs of the release, each with the repository to fetch it from. */
    List<BlobRequest> admit(byte[] file) throws Exception {
        Path trust = node.config().trustedKeys().orElseThrow(() -> new AdminErrors.Refused(409,
                "this node trusts no catalog keys: set catalog.trusted-keys (--trusted-keys) to prefetch from catalogs"));
        SignedCatalog.Verified verified = SignedCatalog.verify(file, TrustStore.load(trust), Instant.now());
        Path dir = Files.createDirectories(node.config().store().data().resolve("catalogs"));
        new SeenCatalogs(dir.resolve("seen.json")).admit(verified, OptionalLong.empty());
        Path temp = Files.createTempFile(dir, ".catalog", ".tmp");
        Files.write(temp, file);
        Files.move(temp, dir.resolve("newest.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Catalog c = verified.catalog();
        for (Recipe r : c.recipes().values()) {
            node.localRecipes().publish(r);
            node.pop().recipes().publish(r);
        }
        cacheManifests(c);
        Map<Digest, BlobRequest> out = new LinkedHashMap<>();
        for (ImageEntry image : c.images()) {
            for (Digest d : image.blobs()) {
                out.putIfAbsent(d, new BlobRequest(node.upstreams().defaultOrigin(), image.repository(), d, c.recipes().get(d).size()));
            }
        }
        return List.copyOf(out.values());
    }

    /** Keeps the release's manifests, so the mirror can serve its tags while the origin is down. */
    private void cacheManifests(Catalog c) {
        for (ImageEntry image : c.images()) {
            List<Digest> digests = new java.util.ArrayList<>();
            digests.add(image.digest());
            image.platforms().forEach(p -> digests.add(p.digest()));
            for (Digest d : digests) {
                try {
                    node.manifests().keep(node.upstreams().defaultOrigin().manifest(image.repository(), d.toString()));
                } catch (java.io.IOException e) {
                    LOG.warning("could not keep manifest " + d + " of " + image.repository() + " for offline use: " + e.getMessage());
                }
            }
        }
    }
}
