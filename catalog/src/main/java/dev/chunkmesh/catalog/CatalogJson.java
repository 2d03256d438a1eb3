package dev.chunkmesh.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.json.JsonFields;
import dev.chunkmesh.catalog.json.JsonFormatException;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON form of a {@link Catalog} (format version 1), the bytes that are signed:
 *
 * <pre>
 * {"blobs":[{"digest":…,"mediaType":…,"size":N}],
 *  "created":"2026-11-22T06:00:00Z", "expires":"…" (optional),
 *  "format":1,
 *  "images":[{"blobs":[…],"digest":…,"platforms":[{"digest":…,"platform":"linux/amd64"}],"repository":…,"tag":…}],
 *  "recipes":[recipe, … sorted by blob digest],
 *  "sequence":N}
 * </pre>
 */
public final class CatalogJson {
    static final int FORMAT = 1;

    private CatalogJson() {
    }

    public static byte[] toBytes(Catalog catalog) {
        return CanonicalJson.write(toTree(catalog));
    }

    /** @throws JsonFormatException if the bytes are not a valid, complete catalog */
    public static Catalog parse(byte[] bytes) {
        return fromTree(CanonicalJson.read(bytes, "catalog"), "catalog");
    }

    static Map<String, Object> toTree(Catalog c) {
        Map<String, Object> m = new TreeMap<>();
        m.put("format", FORMAT);
        m.put("sequence", c.sequence());
        m.put("created", c.created().toString());
        c.expires().ifPresent(e -> m.put("expires", e.toString()));
        List<Object> images = new ArrayList<>();
        for (ImageEntry i : c.images()) {
            Map<String, Object> im = new TreeMap<>();
            im.put("repository", i.repository());
            im.put("tag", i.tag());
            im.put("digest", i.digest().toString());
            List<Object> platforms = new ArrayList<>();
            for (ImageEntry.PlatformManifest p : i.platforms()) {
                platforms.add(new TreeMap<>(Map.of("platform", p.platform(), "digest", p.digest().toString())));
            }
            im.put("platforms", platforms);
            im.put("blobs", i.blobs().stream().map(Digest::toString).toList());
            images.add(im);
        }
        m.put("images", images);
        List<Object> blobs = new ArrayList<>();
        for (BlobInfo b : c.blobs()) {
            blobs.add(new TreeMap<>(Map.of("digest", b.digest().toString(), "mediaType", b.mediaType(), "size", b.size())));
        }
        m.put("blobs", blobs);
        m.put("recipes", new TreeMap<>(c.recipes()).values().stream().map(RecipeJson::toTree).toList());
        return m;
    }

    static Catalog fromTree(JsonNode node, String path) {
        JsonFields f = new JsonFields(node, path);
        long format = f.number("format");
        if (format != FORMAT) {
            throw new JsonFormatException(path + ".format is " + format + "; this node reads format " + FORMAT);
        }
        long sequence = f.number("sequence");
        var created = f.instant("created");
        var expires = f.optionalInstant("expires");
        List<ImageEntry> images = f.list("images", (n, p) -> {
            JsonFields i = new JsonFields(n, p);
            String repository = i.text("repository");
            String tag = i.text("tag");
            Digest digest = i.digest("digest");
            List<ImageEntry.PlatformManifest> platforms = i.list("platforms", (pn, pp) -> {
                JsonFields pf = new JsonFields(pn, pp);
                String platform = pf.text("platform");
                Digest d = pf.digest("digest");
                pf.end();
                return pf.build(() -> new ImageEntry.PlatformManifest(platform, d));
            });
            List<Digest> blobs = i.list("blobs", JsonFields::digestValue);
            i.end();
            return i.build(() -> new ImageEntry(repository, tag, digest, platforms, blobs));
        });
        List<BlobInfo> blobs = f.list("blobs", (n, p) -> {
            JsonFields b = new JsonFields(n, p);
            Digest digest = b.digest("digest");
            String mediaType = b.text("mediaType");
            long size = b.number("size");
            b.end();
            return b.build(() -> new BlobInfo(digest, mediaType, size));
        });
        Map<Digest, Recipe> recipes = new TreeMap<>();
        for (Recipe r : f.list("recipes", RecipeJson::fromTree)) {
            if (recipes.put(r.blob(), r) != null) {
                throw new JsonFormatException(path + ".recipes has two recipes for " + r.blob());
            }
        }
        f.end();
        return f.build(() -> new Catalog(sequence, created, expires, images, blobs, recipes));
    }
}
