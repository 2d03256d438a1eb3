package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.MembershipAndLeasesContract;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.Seal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on two real Hazelcast members, time being real: leases are taken through one member while
 * the other holds their partitions' data; heartbeats are read where they were sent ({@link
 * HazelcastMembershipTest} covers what other members hear).
 */
class HazelcastMembershipAndLeasesTest extends MembershipAndLeasesContract {

    static final Seal SEAL = Seal.of("a test secret of the POP", "gossip");
    static HazelcastInstance first;
    static HazelcastInstance second;

    @BeforeAll
    static void start() throws IOException {
        String cluster = "mesh-test-" + UUID.randomUUID();
        int p1 = HazelcastAvailabilityTest.freePort();
        int p2 = HazelcastAvailabilityTest.freePort();
        List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        first = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p1, members).toConfig("m1-" + cluster));
        second = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p2, members).toConfig("m2-" + cluster));
    }

    @AfterAll
    static void stop() {
        second.shutdown();
        first.shutdown();
    }

    private HazelcastMembership membership;

    @AfterEach
    void stopListening() {
        if (membership != null) {
            membership.close();
        }
    }

    @Override
    protected Membership newMembership() {
        membership = new HazelcastMembership(first, LIFETIME, SEAL, "health-" + UUID.randomUUID());
        return membership;
    }

    @Override
    protected Leases newLeases() {
        first.getMap(HazelcastLeases.MAP).clear();
        return new HazelcastLeases(second, LIFETIME, SEAL, node -> true, Clock.systemUTC());
    }

    @Override
    protected void passLifetime() throws InterruptedException {
        Thread.sleep(LIFETIME.toMillis() + 1500);
    }

    @Override
    protected Instant now() {
        return Instant.now();
    }

    /**
     * Entries no node of the POP wrote, or wrote long ago, hold nobody up: a bare name put by a member
     * without the secret (no TTL, so it would never lapse), a sealed lease of a node outside the POP,
     * and a genuine entry of a POP node replayed after it expired. A fresh lease of a live node still holds.
     */
    @Test
    void leaseEntriesThatNoLiveNodeOfThePopWroteLatelyAreIgnored() {
        first.getMap(HazelcastLeases.MAP).clear();
        Set<String> pop = Set.of("a", "b");
        HazelcastLeases leases = new HazelcastLeases(second, LIFETIME, SEAL, node -> pop.contains(node.name()), Clock.systemUTC());
        NodeId a = new NodeId("a");
        first.getMap(HazelcastLeases.MAP).put("forged", "b");
        assertInstanceOf(LeaseResult.Acquired.class, leases.acquire("forged", a), "an unsealed entry is ignored");
        new HazelcastLeases(first, LIFETIME, SEAL, node -> true, Clock.systemUTC()).acquire("outsider", new NodeId("mallory"));
        assertInstanceOf(LeaseResult.Acquired.class, leases.acquire("outsider", a), "a node outside the POP holds nothing");
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        new HazelcastLeases(first, LIFETIME, SEAL, node -> true, anHourAgo).acquire("replayed", new NodeId("b"));
        assertInstanceOf(LeaseResult.Acquired.class, leases.acquire("replayed", a), "an entry that expired long ago is ignored");
        new HazelcastLeases(first, LIFETIME, SEAL, node -> true, Clock.systemUTC()).acquire("fresh", new NodeId("b"));
        assertEquals(new LeaseResult.HeldBy("fresh", new NodeId("b")), leases.acquire("fresh", a), "b's own fresh lease holds");
        assertEquals(3, leases.ignored());
    }
}
