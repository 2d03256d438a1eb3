package dev.chunkmesh.node.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.origin.Bandwidth;
import dev.chunkmesh.node.origin.RegistryOrigin;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryClient;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiers nest: an edge POP under a national POP under a region in front of the origin, each its own
 * Hazelcast cluster and each link with its own tier secret. A pull at the edge goes up two tiers and
 * leaves the origin once; every tier keeps a copy.
 */
class NestedTiersTest {

    @TempDir
    Path dir;

    @Test
    void aPullTwoTiersDownLeavesTheOriginOnceAndEachTierKeepsACopy() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            oci.tag("v1", oci.manifest(List.of(oci.layer(OciImages.files(71, 10, 500_000), OciImages.Compression.GZIP)), "linux", "amd64"));
            oci.push("v1", registry, "team/nested");
            List<BlobRequest> image = ImageBlobs.of(new RegistryOrigin(RegistryClient.of(registry.url(), Optional.empty()), new Bandwidth(0)),
                    "team/nested", "v1");
            Spec r = Spec.pop("r", "127.0.0.51", "region");
            Spec n = Spec.pop("n", "127.0.0.52", "national");
            Spec e = Spec.pop("e", "127.0.0.53", "edge");
            try (TestPop region = new TestPop(dir.resolve("region"), Optional.of(registry.url()), List.of(r));
                 TestPop national = new TestPop(dir.resolve("national"), Optional.empty(), List.of(n));
                 TestPop edge = new TestPop(dir.resolve("edge"), Optional.empty(), List.of(e))) {
                MeshNode top = region.start(r, new NodeSettings().lowerSecret("region-link-secret-0123456789"));
                MeshNode middle = national.start(n, new NodeSettings().upperTier(top.info().peerAddress())
                        .upperSecret("region-link-secret-0123456789").lowerSecret("national-link-secret-0123456789"));
                MeshNode bottom = edge.start(e, new NodeSettings().upperTier(middle.info().peerAddress())
                        .upperSecret("national-link-secret-0123456789"));
                long size = image.stream().mapToLong(BlobRequest::size).sum();
                List<BlobRequest> through = image.stream().map(b -> new BlobRequest(bottom.upstreams().defaultOrigin(), b.repository(),
                        b.blob(), b.size())).toList();
                BatchPull.Result pulled = new BatchPull(bottom.pulls(), through).result().get(120, TimeUnit.SECONDS);
                assertEquals(size, pulled.bytesBySource().get(SourceKind.PARENT), "the edge took it from the tier above");
                long origin = 0;
                for (BlobRequest b : image) {
                    origin += registry.bytesSent("/blobs/" + b.blob());
                    for (MeshNode held : List.of(top, middle, bottom)) {
                        assertTrue(held.localRecipes().find(b.blob()).isPresent(), held.info().id() + " keeps " + b.blob());
                        HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(held.registryUrl()
                                + "/v2/team/nested/blobs/" + b.blob())).build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(b.blob(), Digest.sha256(got.body()), held.info().id() + " serves " + b.blob());
                    }
                }
                assertEquals(size, origin, "the origin's access log: each blob byte once for three tiers");
            }
        }
    }
}
