package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.MembershipAndLeasesContract;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on two real Hazelcast members, time being real: leases are taken through one member while
 * the other holds their partitions' data; heartbeats are read where they were sent ({@link
 * HazelcastMembershipTest} covers what other members hear).
 */
class HazelcastMembershipAndLeasesTest extends MembershipAndLeasesContract {

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
        membership = new HazelcastMembership(first, LIFETIME, "health-" + UUID.randomUUID());
        return membership;
    }

    @Override
    protected Leases newLeases() {
        first.getMap(HazelcastLeases.MAP).clear();
        return new HazelcastLeases(second, LIFETIME);
    }

    @Override
    protected void passLifetime() throws InterruptedException {
        Thread.sleep(LIFETIME.toMillis() + 1500);
    }

    @Override
    protected Instant now() {
        return Instant.now();
    }
}
