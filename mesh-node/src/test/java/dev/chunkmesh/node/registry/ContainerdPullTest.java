package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.node.MeshNode;
import dev.chunkmesh.node.TestPop;
import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import dev.chunkmesh.registry.OciImages;
import dev.chunkmesh.registry.RegistryHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd pulling through a node as its mirror, configured the way operators do it: a
 * {@code hosts.toml} for the upstream naming the node with capabilities pull and resolve. containerd
 * then asks the node with {@code ?ns=<upstream>}, which the node maps to its origin. The pull is a
 * full {@code ctr images pull}, unpack included (it works on this machine).
 */
class ContainerdPullTest {

    @TempDir
    Path dir;

    @Test
    void containerdPullsAnImageThroughTheNodeWithHostsToml() throws Exception {
        try (RegistryHarness registry = RegistryHarness.start(dir.resolve("registry"));
             ContainerdHarness containerd = ContainerdHarness.start(dir.resolve("containerd"))) {
            OciImages oci = new OciImages(dir.resolve("oci"));
            OciImages.Layer layer = oci.layer(OciImages.files(51, 12, 400_000), OciImages.Compression.GZIP);
            oci.tag("v1", oci.manifest(List.of(layer), "linux", "amd64"));
            oci.push("v1", registry, "team/app");
            String upstream = registry.hostPort();
            Spec spec = Spec.pop("a", "127.0.0.1", "pop1");
            try (TestPop pop = new TestPop(dir.resolve("nodes"), Optional.empty(), List.of(spec))) {
                MeshNode node = pop.start(spec, new NodeSettings().upstream(upstream, registry.url()));
                Path hosts = containerd.hostsDir(upstream, node.registryUrl());
                ContainerdHarness.Result pulled = containerd.ctr("images", "pull", "--hosts-dir", hosts.toString(), upstream + "/team/app:v1");
                assertEquals(0, pulled.exit(), pulled.output());
                assertTrue(pulled.output().contains("unpacking linux/amd64"), pulled.output());
                assertTrue(node.metrics().pulledBytes(SourceKind.ORIGIN) >= layer.blob().size(), "the layer came through the node");
                assertTrue(node.registry().bytesServed() >= layer.blob().size(), "and the node served it to containerd");
                List<String> originGets = registry.gets("/blobs/" + layer.blob().digest());
                assertTrue(!originGets.isEmpty() && originGets.stream().noneMatch(l -> l.contains("containerd")),
                        "containerd never went around the mirror; every GET of the layer at the origin was the node's: " + originGets);
                ContainerdHarness.Result listed = containerd.ctr("images", "ls", "-q");
                assertTrue(listed.output().contains(upstream + "/team/app:v1"), listed.output());
            }
        }
    }
}
