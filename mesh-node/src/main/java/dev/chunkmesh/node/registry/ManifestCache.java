package dev.chunkmesh.node.registry;

import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.ImageEntry;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.node.origin.Origin;
import dev.chunkmesh.node.origin.OriginNotFoundException;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Manifests for the mirror. By digest they are immutable, so they are kept on disk for good (and
 * checked against their digest when read back). A tag is asked of the origin with the client's
 * {@code Accept} header and trusted for {@code tagTtl}; when the origin cannot be reached, a tag
 * resolves from the newest verified catalog the node holds, if the manifest it names is on disk.
 * Blocks on disk and the origin: call from worker threads.
 */
public final class ManifestCache {
    private static final Logger LOG = Logger.getLogger(ManifestCache.class.getName());

    private record TagKey(String upstream, String repository, String tag, String accept) {}

    private record Resolved(Digest digest, Instant at) {}

    private final Path dir;
    private final Path catalog;
    private final Duration tagTtl;
    private final Clock clock;
    private final Map<TagKey, Resolved> tags = new ConcurrentHashMap<>();
    private final ImageNames names = new ImageNames();

    /**
     * @param dir where manifests are kept, one file per digest
     * @param catalog the node's newest verified catalog (written by prefetch), which may not exist
     */
    public ManifestCache(Path dir, Path catalog, Duration tagTtl, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.catalog = catalog;
        this.tagTtl = tagTtl;
        this.clock = clock;
    }

    /**
     * The manifest {@code reference} names in {@code repository} at the origin of {@code upstream}.
     *
     * @throws OriginNotFoundException if the origin does not have it
     * @throws IOException if the origin cannot be asked and nothing held answers for it
     */
    public ImageSource.Fetched get(String upstream, Origin origin, String repository, String reference, String accept) throws IOException {
        ImageSource.Fetched f = find(upstream, origin, repository, reference, accept);
        names.served(repository, reference, f);
        return f;
    }

    /** The images the manifests served so far belong to, by manifest and blob digest. */
    public ImageNames names() {
        return names;
    }

    private ImageSource.Fetched find(String upstream, Origin origin, String repository, String reference, String accept) throws IOException {
        if (reference.startsWith(Digest.PREFIX)) {
            Digest d = Digest.parse(reference);
            Optional<ImageSource.Fetched> held = read(d);
            if (held.isPresent()) {
                return held.get();
            }
            return keep(origin.manifest(repository, reference, accept));
        }
        TagKey key = new TagKey(upstream, repository, reference, accept);
        Resolved r = tags.get(key);
        if (r != null && Duration.between(r.at(), clock.instant()).compareTo(tagTtl) < 0) {
            Optional<ImageSource.Fetched> held = read(r.digest());
            if (held.isPresent()) {
                return held.get();
            }
        }
        try {
            ImageSource.Fetched f = keep(origin.manifest(repository, reference, accept));
            tags.put(key, new Resolved(f.digest(), clock.instant()));
            return f;
        } catch (OriginNotFoundException notThere) {
            throw notThere;
        } catch (IOException unreachable) {
            Optional<ImageSource.Fetched> fromCatalog = fromCatalog(repository, reference);
            if (fromCatalog.isPresent()) {
                LOG.warning("origin unreachable (" + unreachable.getMessage() + "); " + repository + ":" + reference
                        + " resolved from the newest catalog");
                return fromCatalog.get();
            }
            throw unreachable;
        }
    }

    /** Keeps a manifest fetched by someone else (prefetch), after checking its digest. */
    public ImageSource.Fetched keep(ImageSource.Fetched f) throws IOException {
        if (!Digest.sha256(f.bytes()).equals(f.digest())) {
            throw new IOException("manifest does not hash to " + f.digest());
        }
        Path file = dir.resolve(f.digest().hex());
        if (!Files.exists(file)) {
            Path temp = Files.createTempFile(dir, ".manifest", ".tmp");
            byte[] type = (f.mediaType() + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[type.length + f.bytes().length];
            System.arraycopy(type, 0, all, 0, type.length);
            System.arraycopy(f.bytes(), 0, all, type.length, f.bytes().length);
            Files.write(temp, all);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private Optional<ImageSource.Fetched> read(Digest d) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(dir.resolve(d.hex()));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
        int nl = 0;
        while (nl < all.length && all[nl] != '\n') {
            nl++;
        }
        byte[] bytes = Arrays.copyOfRange(all, Math.min(all.length, nl + 1), all.length);
        if (nl == all.length || !Digest.sha256(bytes).equals(d)) {
            Files.deleteIfExists(dir.resolve(d.hex()));
            return Optional.empty();
        }
        return Optional.of(new ImageSource.Fetched(bytes, new String(all, 0, nl, StandardCharsets.UTF_8), d));
    }

    private Optional<ImageSource.Fetched> fromCatalog(String repository, String tag) throws IOException {
        if (!Files.exists(catalog)) {
            return Optional.empty();
        }
        Catalog c = SignedCatalog.readUnverified(Files.readAllBytes(catalog));
        for (ImageEntry image : c.images()) {
            if (image.repository().equals(repository) && image.tag().equals(tag)) {
                return read(image.digest());
            }
        }
        return Optional.empty();
    }
}
