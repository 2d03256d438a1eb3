package dev.chunkmesh.catalog;

import dev.chunkmesh.catalog.oci.Descriptor;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.oci.ManifestDocument;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.ingest.BlobIngester;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Builds a catalog from images in a registry: resolves each tag to its manifest or index, follows
 * every platform manifest and every referrer (SBOMs, signatures), and streams each blob once through
 * the chunker to get its recipe. Blobs already described (in a previous catalog, or earlier in the
 * same run) are not read again. Nothing is kept but the recipes.
 */
public final class Publisher {

    /** Hears about each blob as it is read, for progress bars. */
    public interface Listener {
        void blobStarted(String repository, Descriptor blob);

        void blobProgress(long bytesRead);

        void blobDone(Descriptor blob, Recipe recipe);

        /** A blob whose recipe was already known. */
        void blobReused(Descriptor blob);

        Listener SILENT = new Listener() {
            @Override
            public void blobStarted(String repository, Descriptor blob) {
            }

            @Override
            public void blobProgress(long bytesRead) {
            }

            @Override
            public void blobDone(Descriptor blob, Recipe recipe) {
            }

            @Override
            public void blobReused(Descriptor blob) {
            }
        };
    }

    private final ImageSource source;
    private final BlobIngester ingester;
    private final Listener listener;
    private final Map<Digest, Recipe> known = new LinkedHashMap<>();
    private final Map<Digest, BlobInfo> described = new LinkedHashMap<>();

    /** {@code previous}, if given, lends its recipes so unchanged blobs are not read again. */
    public Publisher(ImageSource source, ChunkerParams params, ExecutorService workers, Optional<Catalog> previous, Listener listener) {
        this.source = Objects.requireNonNull(source, "source");
        this.ingester = BlobIngester.recipesOnly(params, workers, 2 * Runtime.getRuntime().availableProcessors() + 2);
        this.listener = Objects.requireNonNull(listener, "listener");
        previous.ifPresent(p -> known.putAll(p.recipes()));
    }

    /**
     * Publishes {@code tags} of {@code repository} as catalog {@code sequence}.
     *
     * @throws IOException if the registry fails or a blob does not match its digest or size
     */
    public Catalog publish(String repository, List<String> tags, long sequence, Instant created, Optional<Instant> expires)
            throws IOException {
        Names.requireRepository(repository);
        List<ImageEntry> images = new ArrayList<>();
        for (String tag : tags) {
            Names.requireTag(tag);
            images.add(image(repository, tag));
        }
        Map<Digest, Recipe> recipes = new LinkedHashMap<>();
        for (Digest d : described.keySet()) {
            recipes.put(d, known.get(d));
        }
        return new Catalog(sequence, created, expires, images, new ArrayList<>(described.values()), recipes);
    }

    private ImageEntry image(String repository, String tag) throws IOException {
        ImageSource.Fetched top = source.manifest(repository, tag);
        List<ImageEntry.PlatformManifest> platforms = new ArrayList<>();
        List<Digest> blobs = new ArrayList<>();
        ManifestDocument doc = ManifestDocument.parse(top.bytes(), top.mediaType());
        if (doc instanceof ManifestDocument.Index index) {
            for (Descriptor child : index.manifests()) {
                child.platform().ifPresent(p -> platforms.add(new ImageEntry.PlatformManifest(p, child.digest())));
                manifest(repository, child.digest(), blobs);
            }
        } else {
            collect(repository, (ManifestDocument.Manifest) doc, blobs);
        }
        referrers(repository, top.digest(), blobs);
        return new ImageEntry(repository, tag, top.digest(), platforms, blobs.stream().distinct().toList());
    }

    private void manifest(String repository, Digest digest, List<Digest> blobs) throws IOException {
        ImageSource.Fetched f = source.manifest(repository, digest.toString());
        ManifestDocument doc = ManifestDocument.parse(f.bytes(), f.mediaType());
        if (doc instanceof ManifestDocument.Manifest m) {
            collect(repository, m, blobs);
        } else {
            for (Descriptor child : ((ManifestDocument.Index) doc).manifests()) {
                manifest(repository, child.digest(), blobs);
            }
        }
        referrers(repository, digest, blobs);
    }

    private void referrers(String repository, Digest subject, List<Digest> blobs) throws IOException {
        for (Descriptor r : source.referrers(repository, subject)) {
            ImageSource.Fetched f = source.manifest(repository, r.digest().toString());
            if (ManifestDocument.parse(f.bytes(), f.mediaType()) instanceof ManifestDocument.Manifest m) {
                collect(repository, m, blobs);
            }
        }
    }

    private void collect(String repository, ManifestDocument.Manifest manifest, List<Digest> blobs) throws IOException {
        for (Descriptor blob : manifest.blobs()) {
            blobs.add(blob.digest());
            if (described.containsKey(blob.digest())) {
                continue;
            }
            Recipe recipe = known.get(blob.digest());
            if (recipe != null && recipe.size() == blob.size()) {
                listener.blobReused(blob);
            } else {
                recipe = chunk(repository, blob);
                known.put(blob.digest(), recipe);
            }
            described.put(blob.digest(), new BlobInfo(blob.digest(), blob.mediaType(), blob.size()));
        }
    }

    private Recipe chunk(String repository, Descriptor blob) throws IOException {
        listener.blobStarted(repository, blob);
        Recipe recipe;
        try (InputStream in = source.blob(repository, blob.digest())) {
            recipe = ingester.ingestExpecting(blob.digest(), in, PinSet.NONE, listener::blobProgress);
        }
        if (recipe.size() != blob.size()) {
            throw new IOException("blob " + blob.digest() + " has " + recipe.size() + " bytes, its manifest says " + blob.size());
        }
        listener.blobDone(blob, recipe);
        return recipe;
    }
}
