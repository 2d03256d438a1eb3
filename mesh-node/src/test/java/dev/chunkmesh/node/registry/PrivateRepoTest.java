package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.node.pull.BatchPull;
import dev.chunkmesh.node.pull.ImageBlobs;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import dev.chunkmesh.store.Digest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private repository: Debian's docker-registry with htpasswd auth as origin, and a node that holds
 * the image (pulled with the node's own credentials). The mirror must not hand the image to a client
 * the origin would refuse (the hole Spegel has), and must serve it to one the origin accepts.
 */
class PrivateRepoTest {

    @TempDir
    Path dir;

    @Test
    void theMirrorServesHeldBlobsOnlyToClientsTheOriginAccepts() throws Exception {
        try (RegistryHarness registry = RegistryHarness.startWithHtpasswd(dir.resolve("registry"), "alice", "alice-password")) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            OciImages.Layer layer = oci.layer(OciImages.files(91, 8, 200_000), OciImages.Compression.GZIP);
            OciImages.Blob manifest = oci.manifest(List.of(layer), "linux", "amd64");
            oci.tag("v1", manifest);
            oci.push("v1", registry, "private/app", "alice:alice-password");
            Spec spec = Spec.pop("a", "127.0.0.1", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.of(registry.url()), List.of(spec))) {
                MeshNode node = pop.start(spec, new NodeSettings().originCredentials("alice", "alice-password"));
                new BatchPull(node.pulls(), ImageBlobs.of(node.upstreams().defaultOrigin(), "private/app", "v1")).result()
                        .get(60, TimeUnit.SECONDS);
                String blob = "/v2/private/app/blobs/" + layer.blob().digest();
                String url = node.registryUrl();

                RawHttp anonymous = RawHttp.get(url, blob);
                assertEquals(401, anonymous.status(), "the node holds the blob, but an anonymous client gets nothing");
                assertTrue(anonymous.head().toLowerCase().contains("www-authenticate: basic"), "and the origin's challenge: " + anonymous.head());
                assertTrue(anonymous.bodyText().contains("\"code\":\"UNAUTHORIZED\""), anonymous.bodyText());
                assertEquals(0, anonymous.body().length > 200 ? 1 : 0, "no blob bytes leaked");

                RawHttp wrong = RawHttp.get(url, blob, "Authorization: " + basic("alice", "guess"));
                assertEquals(401, wrong.status(), "wrong credentials are refused as the origin refuses them");
                RawHttp manifestAnon = RawHttp.get(url, "/v2/private/app/manifests/" + manifest.digest());
                assertEquals(401, manifestAnon.status(), "manifests too");

                RawHttp allowed = RawHttp.get(url, blob, "Authorization: " + basic("alice", "alice-password"));
                assertEquals(200, allowed.status(), allowed.head());
                assertEquals(layer.blob().digest(), Digest.sha256(allowed.body()));

                Process p = new ProcessBuilder("skopeo", "copy", "--src-tls-verify=false", "--src-creds", "alice:alice-password",
                        "docker://" + URI.create(url).getAuthority() + "/private/app:v1", "dir:" + dir.resolve("copy"))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), "skopeo with the right credentials pulls through the mirror: " + out);
            }
        }
    }

    @Test
    void anEdgePopChecksItsClientsAtTheOriginThroughItsUpperTier() throws Exception {
        try (RegistryHarness registry = RegistryHarness.startWithHtpasswd(dir.resolve("registry"), "alice", "alice-password")) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            OciImages.Layer layer = oci.layer(OciImages.files(92, 8, 200_000), OciImages.Compression.GZIP);
            oci.tag("v1", oci.manifest(List.of(layer), "linux", "amd64"));
            oci.push("v1", registry, "private/app", "alice:alice-password");
            Spec r = Spec.pop("r", "127.0.0.41", "region");
            Spec e = Spec.pop("e", "127.0.0.42", "edge");
            try (TestPop region = new TestPop(dir.resolve("region"), Optional.of(registry.url()), List.of(r));
                 TestPop edge = new TestPop(dir.resolve("edge"), Optional.empty(), List.of(e))) {
                MeshNode upper = region.start(r, new NodeSettings().originCredentials("alice", "alice-password"));
                MeshNode node = edge.start(e, new NodeSettings().upperTier(upper.info().peerAddress()));
                String blob = "/v2/private/app/blobs/" + layer.blob().digest();
                String url = node.registryUrl();
                RawHttp anonymous = RawHttp.get(url, blob);
                assertEquals(401, anonymous.status(), "an anonymous client is refused as the origin refuses it, two tiers up");
                assertTrue(anonymous.head().toLowerCase().contains("www-authenticate: basic"), "with the origin's challenge: " + anonymous.head());
                RawHttp allowed = RawHttp.get(url, blob, "Authorization: " + basic("alice", "alice-password"));
                assertEquals(200, allowed.status(), allowed.head());
                assertEquals(layer.blob().digest(), Digest.sha256(allowed.body()));
                assertEquals(401, RawHttp.get(url, blob).status(), "the edge now holds the blob and still refuses the anonymous client");
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
