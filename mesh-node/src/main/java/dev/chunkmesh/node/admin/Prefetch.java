package dev.chunkmesh.node.admin;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.ImageEntry;
import dev.chunkmesh.catalog.sign.SeenCatalogs;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.catalog.sign.TrustStore;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.pull.BlobRequest;
import dev.chunkmesh.node.registry.ManifestCache;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Admits a signed catalog for prefetch: verified against the node's trusted keys, refused if older
 * than one already seen, kept on disk as the node's newest catalog, its recipes shared with the POP
 * so no node needs to chunk those blobs from the origin, and its manifests kept so its tags resolve
 * while the origin is down. Blocks: run on a worker.
 */
public final class Prefetch {
    private static final Logger LOG = Logger.getLogger(Prefetch.class.getName());
    private final Optional<Path> trustedKeys;
    private final Path catalogs;
    private final Recipes localRecipes;
    private final Recipes popRecipes;
    private final Origin origin;
    private final ManifestCache manifests;
    private final Clock clock;

    /**
     * @param trustedKeys the keys a catalog must be signed with ({@code catalog.trusted-keys}); none refuses every catalog
     * @param catalogs where the newest admitted catalog and the record of those seen are kept
     * @param origin where the release's blobs and manifests are fetched from
     */
    public Prefetch(Optional<Path> trustedKeys, Path catalogs, Recipes localRecipes, Recipes popRecipes, Origin origin,
                    ManifestCache manifests, Clock clock) {
        this.trustedKeys = Objects.requireNonNull(trustedKeys, "trustedKeys");
        this.catalogs = Objects.requireNonNull(catalogs, "catalogs");
        this.localRecipes = Objects.requireNonNull(localRecipes, "localRecipes");
        this.popRecipes = Objects.requireNonNull(popRecipes, "popRecipes");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The blobs of the release, each with the repository to fetch it from. */
    List<BlobRequest> admit(byte[] file) throws Exception {
        Path trust = trustedKeys.orElseThrow(() -> new AdminErrors.Refused(409,
                "this node trusts no catalog keys: set catalog.trusted-keys (--trusted-keys) to prefetch from catalogs"));
        SignedCatalog.Verified verified = SignedCatalog.verify(file, TrustStore.load(trust), clock.instant());
        Path dir = Files.createDirectories(catalogs);
        new SeenCatalogs(dir.resolve("seen.json")).admit(verified, OptionalLong.empty());
        Path temp = Files.createTempFile(dir, ".catalog", ".tmp");
        Files.write(temp, file);
        Files.move(temp, dir.resolve("newest.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Catalog c = verified.catalog();
        for (Recipe r : c.recipes().values()) {
            localRecipes.publish(r);
            popRecipes.publish(r);
        }
        cacheManifests(c);
        Map<Digest, BlobRequest> out = new LinkedHashMap<>();
        for (ImageEntry image : c.images()) {
            for (Digest d : image.blobs()) {
                out.putIfAbsent(d, new BlobRequest(origin, image.repository(), d, c.recipes().get(d).size()));
            }
        }
        return List.copyOf(out.values());
    }

    /** Keeps the release's manifests, so the mirror can serve its tags while the origin is down. */
    private void cacheManifests(Catalog c) {
        for (ImageEntry image : c.images()) {
            List<Digest> digests = new ArrayList<>();
            digests.add(image.digest());
            image.platforms().forEach(p -> digests.add(p.digest()));
            for (Digest d : digests) {
                try {
                    manifests.keep(origin.manifest(image.repository(), d.toString()));
                } catch (IOException e) {
                    LOG.warning("could not keep manifest " + d + " of " + image.repository() + " for offline use: " + e.getMessage());
                }
            }
        }
    }
}
