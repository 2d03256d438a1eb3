package dev.chunkmesh.node.pull;

import dev.chunkmesh.catalog.oci.Descriptor;
import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.catalog.oci.ManifestDocument;
import dev.chunkmesh.node.origin.Origin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The blobs an image needs: config and layers of its manifest, or of every manifest of its index. Blocks on the origin. */
public final class ImageBlobs {
    private ImageBlobs() {
    }

    public static List<BlobRequest> of(Origin origin, String repository, String reference) throws IOException {
        ImageSource.Fetched top = origin.manifest(repository, reference);
        Map<String, BlobRequest> out = new LinkedHashMap<>();
        List<ManifestDocument.Manifest> manifests = new ArrayList<>();
        ManifestDocument doc = ManifestDocument.parse(top.bytes(), top.mediaType());
        if (doc instanceof ManifestDocument.Index index) {
            for (Descriptor d : index.manifests()) {
                ImageSource.Fetched m = origin.manifest(repository, d.digest().toString());
                if (ManifestDocument.parse(m.bytes(), m.mediaType()) instanceof ManifestDocument.Manifest mm) {
                    manifests.add(mm);
                }
            }
        } else {
            manifests.add((ManifestDocument.Manifest) doc);
        }
        for (ManifestDocument.Manifest m : manifests) {
            for (Descriptor d : m.blobs()) {
                out.putIfAbsent(d.digest().toString(), new BlobRequest(origin, repository, d.digest(), d.size()));
            }
        }
        return List.copyOf(out.values());
    }
}
