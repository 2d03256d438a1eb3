package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.catalog.RecipeJson;
import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.AvailabilityContract;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.Recipes;
import dev.chunkmesh.gossip.RecipesContract;
import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract against two real embedded Hazelcast members on loopback, joined by TCP-IP. */
class HazelcastAvailabilityTest extends AvailabilityContract {

    static final Seal SEAL = Seal.of("the POP's cluster secret", "gossip");
    static HazelcastInstance first;
    static HazelcastInstance second;

    static int freePort() throws IOException {
        return MemberPorts.free("127.0.0.1");
    }

    @BeforeAll
    static void startTwoMembers() throws IOException {
        String cluster = "mesh-test-" + UUID.randomUUID();
        int p1 = freePort();
        int p2 = freePort();
        List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        first = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p1, members).toConfig("first-" + cluster));
        second = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p2, members).toConfig("second-" + cluster));
        assertEquals(2, first.getCluster().getMembers().size(), "the two members joined one cluster");
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.shutdown();
        }
        if (first != null) {
            first.shutdown();
        }
    }

    @Override
    protected Availability newAvailability() {
        first.getMap(HazelcastAvailability.MAP).clear();
        return new HazelcastAvailability(first);
    }

    @Test
    void anAdvertOnOneMemberIsSeenOnTheOther() {
        newAvailability();
        Digest blob = Digest.sha256("shared".getBytes());
        NodeInfo hub = Nodes.hubNode("h1", "hub1", "pop1");
        new HazelcastAvailability(first).advertise(hub, blob, Nodes.bits(8, 2, 5));
        var seen = new HazelcastAvailability(second).holders(blob);
        assertEquals(1, seen.size());
        assertEquals(Nodes.bits(8, 2, 5), seen.get(hub), "bitmap and the micro-hub's place survive the trip");
    }

    @Test
    void concurrentAdvertsForOneBlobAreAllKept() throws Exception {
        newAvailability();
        Digest blob = Digest.sha256("hot".getBytes());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                NodeInfo n = Nodes.popNode("n" + i, "pop1");
                HazelcastInstance via = i % 2 == 0 ? first : second;
                fs.add(pool.submit(() -> new HazelcastAvailability(via).advertise(n, blob, ChunkBitmap.full(3))));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, new HazelcastAvailability(second).holders(blob).size());
        assertTrue(first.getConfig().getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertTrue(!first.getConfig().getNetworkConfig().getJoin().getMulticastConfig().isEnabled(), "multicast stays off");
    }

    /** The recipes contract in the same two-member cluster: published on one member, found on the other. */
    @Nested
    class SharedRecipes extends RecipesContract {
        @Override
        protected Recipes newRecipes() {
            Recipes onFirst = new HazelcastRecipes(first, SEAL);
            Recipes onSecond = new HazelcastRecipes(second, SEAL);
            return new Recipes() {
                @Override
                public Optional<Recipe> find(Digest blob) {
                    return onSecond.find(blob);
                }

                @Override
                public void publish(Recipe recipe) {
                    onFirst.publish(recipe);
                }

                @Override
                public boolean has(Digest blob) {
                    return onSecond.has(blob);
                }

                @Override
                public void forget(Digest blob) {
                    onSecond.forget(blob);
                }
            };
        }

        @Test
        void aRecipeStoredUnderTheWrongBlobIsNotReturned() {
            Recipe recipe = Nodes.recipe(5, 300);
            Digest other = Digest.sha256("other blob".getBytes());
            byte[] sealed = first.<String, byte[]>getMap(HazelcastRecipes.MAP).get(publishAndRead(recipe).toString());
            first.<String, byte[]>getMap(HazelcastRecipes.MAP).set(other.toString(), sealed);
            assertTrue(new HazelcastRecipes(second, SEAL).find(other).isEmpty());
        }

        @Test
        void aRecipeWrittenWithoutTheClusterSecretIsNotReturned() {
            Recipe recipe = Nodes.recipe(6, 300);
            new HazelcastRecipes(first, Seal.of("a guess at the secret", "gossip")).publish(recipe);
            assertTrue(new HazelcastRecipes(second, SEAL).find(recipe.blob()).isEmpty(), "sealed with another key");
            first.<String, byte[]>getMap(HazelcastRecipes.MAP).set(recipe.blob().toString(), RecipeJson.toBytes(recipe));
            assertTrue(new HazelcastRecipes(second, SEAL).find(recipe.blob()).isEmpty(), "not sealed at all");
        }

        private Digest publishAndRead(Recipe recipe) {
            new HazelcastRecipes(first, SEAL).publish(recipe);
            assertTrue(new HazelcastRecipes(second, SEAL).find(recipe.blob()).isPresent());
            return recipe.blob();
        }
    }
}
