package dev.chunkmesh.catalog;

import dev.chunkmesh.store.Digest;
import java.util.List;
import java.util.Objects;

/**
 * One image in a catalog: where it lives, what its tag pointed to, the per-platform manifests (for
 * an image index), and every blob it needs (configs, layers, referrer artifacts such as SBOMs).
 *
 * @param repository repository name, for example {@code library/nginx}
 * @param tag the tag the catalog pins
 * @param digest digest of the manifest or image index the tag resolved to
 * @param platforms per-platform manifests when {@code digest} is an index; empty for a single manifest
 * @param blobs every blob the image needs, each described in the catalog's blob list
 */
public record ImageEntry(String repository, String tag, Digest digest, List<PlatformManifest> platforms, List<Digest> blobs) {

    public ImageEntry {
        Names.requireRepository(repository);
        Names.requireTag(tag);
        Objects.requireNonNull(digest, "digest");
        platforms = List.copyOf(platforms);
        blobs = List.copyOf(blobs);
    }

    /** A platform's manifest inside an image index: {@code os/arch[/variant]} and its digest. */
    public record PlatformManifest(String platform, Digest digest) {
        public PlatformManifest {
            if (platform == null || !platform.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
                throw new IllegalArgumentException("platform must look like os/arch or os/arch/variant, got '" + platform + "'");
            }
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** {@code repository:tag}. */
    public String reference() {
        return repository + ":" + tag;
    }
}
