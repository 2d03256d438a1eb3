package dev.chunkmesh.catalog;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a node that holds everything in an old catalog must fetch to hold a new one: blobs it lacks,
 * and of those the chunks no old blob has, with their bytes. Chunks are counted once however many
 * blobs or images share them.
 *
 * @param images per image of the new catalog, what it alone would need on top of the old catalog
 * @param total what the whole new catalog needs (shared chunks counted once)
 */
public record CatalogDelta(List<ImageDelta> images, Totals total) {

    /** New blobs, new chunks and their bytes, and the total bytes of what was compared. */
    public record Totals(int newBlobs, int newChunks, long newBytes, long totalBytes) {
        /** New bytes over total bytes: the fraction of the release that has to move. */
        public double ratio() {
            return totalBytes == 0 ? 0 : (double) newBytes / totalBytes;
        }
    }

    public record ImageDelta(String reference, Totals totals) {}

    public static CatalogDelta between(Catalog older, Catalog newer) {
        Set<Digest> oldBlobs = new HashSet<>();
        Set<Digest> oldChunks = new HashSet<>();
        for (BlobInfo b : older.blobs()) {
            oldBlobs.add(b.digest());
            older.recipes().get(b.digest()).chunks().forEach(c -> oldChunks.add(c.digest()));
        }
        List<ImageDelta> images = new ArrayList<>();
        for (ImageEntry image : newer.images()) {
            images.add(new ImageDelta(image.reference(), totals(newer, image.blobs(), oldBlobs, oldChunks)));
        }
        List<Digest> all = newer.blobs().stream().map(BlobInfo::digest).toList();
        return new CatalogDelta(images, totals(newer, all, oldBlobs, oldChunks));
    }

    private static Totals totals(Catalog newer, List<Digest> blobs, Set<Digest> oldBlobs, Set<Digest> oldChunks) {
        Set<Digest> seenBlobs = new HashSet<>();
        Set<Digest> newChunks = new HashSet<>();
        int newBlobs = 0;
        long newBytes = 0;
        long totalBytes = 0;
        for (Digest d : blobs) {
            if (!seenBlobs.add(d)) {
                continue;
            }
            Recipe r = newer.recipes().get(d);
            totalBytes += r.size();
            if (oldBlobs.contains(d)) {
                continue;
            }
            newBlobs++;
            for (ChunkRef c : r.chunks()) {
                if (!oldChunks.contains(c.digest()) && newChunks.add(c.digest())) {
                    newBytes += c.length();
                }
            }
        }
        return new Totals(newBlobs, newChunks.size(), newBytes, totalBytes);
    }
}
