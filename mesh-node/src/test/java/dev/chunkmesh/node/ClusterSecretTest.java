package dev.chunkmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.TestPop.Spec;
import dev.chunkmesh.node.config.NodeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership of a POP needs its secret: a node started with another one is kept out, and both sides say so loudly. */
class ClusterSecretTest {

    @TempDir
    Path dir;

    @Test
    void aNodeWithAnotherSecretCannotJoinThePopAndEverySideReportsIt() throws Exception {
        List<Spec> specs = List.of(Spec.pop("a", "127.0.0.1", "pop1"), Spec.pop("b", "127.0.0.2", "pop1"), Spec.pop("c", "127.0.0.3", "pop1"));
        try (TestPop pop = new TestPop(dir, Optional.empty(), specs)) {
            MeshNode a = pop.start(specs.get(0));
            MeshNode b = pop.start(specs.get(1));
            MeshNode c = pop.start(specs.get(2), new NodeSettings().secret("not-the-pop-secret-0123456789"));
            assertEquals(2, a.clusterMembers(), "a and b form the POP");
            assertEquals(1, c.clusterMembers(), "the node with another secret is not let in although it knows the POP's name");
            assertEquals(2, a.pop().membership().alive().size(), "nor does its heartbeat reach the POP");

            await(() -> c.problems().stream().anyMatch(p -> p.contains("cluster.secret")), "c says why it is alone: " + c.problems());
            await(() -> a.problems().stream().anyMatch(p -> p.contains("127.0.0.3")), "the POP names the outsider: " + a.problems());
            String health = get(c.adminUrl() + "/healthz");
            assertTrue(health.contains("\"status\":\"degraded\"") && health.contains("cluster.secret"), health);
            assertTrue(get(c.adminUrl() + "/metrics").contains("mesh_gossip_outside_members{node=\"c\",pop=\"pop1\"} 2.0"));
            assertTrue(get(a.adminUrl() + "/metrics").contains("mesh_gossip_outside_members{node=\"a\",pop=\"pop1\"} 1.0"));
            await(() -> b.problems().stream().anyMatch(p -> p.contains("127.0.0.3")), "b sees the outsider too: " + b.problems());
            assertTrue(get(b.adminUrl() + "/healthz").contains("\"status\":\"degraded\""));
        }
    }

    @Test
    void theClusterNameHazelcastUsesDependsOnTheSecretAndRevealsNothingOfIt() {
        var one = new dev.chunkmesh.node.config.NodeConfig.Cluster("mesh-pop1", "secret-number-one-0123", java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(30));
        var two = new dev.chunkmesh.node.config.NodeConfig.Cluster("mesh-pop1", "secret-number-two-0123", java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(30));
        assertTrue(one.hazelcastName().startsWith("mesh-pop1-"), one.hazelcastName());
        assertTrue(!one.hazelcastName().equals(two.hazelcastName()));
        assertEquals(one.hazelcastName(), one.hazelcastName(), "the same secret gives the same name on every node");
        assertTrue(!one.hazelcastName().contains("secret"));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 25_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 25 s: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
