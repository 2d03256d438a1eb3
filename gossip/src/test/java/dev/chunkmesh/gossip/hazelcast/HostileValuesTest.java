package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.LeaseResult;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.Seal;
import dev.chunkmesh.gossip.hostile.Gadget;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member of the POP's cluster that writes values no node writes: objects of classes outside the gossip package
 * (where deserialization gadgets live), values of other types, malformed claims. Hazelcast is a notice board: none of
 * it is deserialized beyond the filter, and none of it fails a read, an advert or a lease.
 */
class HostileValuesTest {
    private static final Seal SEAL = Seal.of("the POP's cluster secret", "gossip");
    private static HazelcastInstance honest;
    private static HazelcastInstance hostile;

    @BeforeAll
    static void startTwoMembers() throws IOException {
        String cluster = "mesh-test-" + UUID.randomUUID();
        int p1 = MemberPorts.free("127.0.0.1");
        int p2 = MemberPorts.free("127.0.0.1");
        List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        honest = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p1, members).toConfig("honest-" + cluster));
        hostile = Hazelcast.newHazelcastInstance(new HazelcastSettings(cluster, "127.0.0.1", p2, members).toConfig("hostile-" + cluster));
        assertEquals(2, honest.getCluster().getMembers().size());
    }

    @AfterAll
    static void stop() {
        hostile.shutdown();
        honest.shutdown();
    }

    @BeforeEach
    void noGadgetReadYet() {
        Gadget.READ.set(0);
    }

    private static Digest blob(String name) {
        return Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGadgetUnderABlobIsNeverDeserializedCountsAsNoClaimAndNeitherWithdrawingNorAdvertisingFailsOnIt() {
        HazelcastAvailability availability = new HazelcastAvailability(honest);
        Digest blob = blob("gadget");
        hostile.getMap(HazelcastAvailability.MAP).put(blob.toString(), new Gadget());
        assertTrue(availability.holders(blob).isEmpty());
        assertTrue(availability.unreadable() >= 1, "counted");
        NodeInfo a = Nodes.popNode("a", "pop1");
        availability.withdrawAll(a.id());
        availability.advertise(a, blob, Nodes.bits(4, 0, 4));
        assertEquals(Map.of(a, Nodes.bits(4, 0, 4)), availability.holders(blob));
        hostile.getMap(HazelcastAvailability.MAP).put(blob.toString(), new Gadget());
        availability.advertise(a, blob, Nodes.bits(4, 0, 2));
        assertEquals(Map.of(a, Nodes.bits(4, 0, 2)), availability.holders(blob), "an advert replaces the gadget");
        assertEquals(0, Gadget.READ.get(), "the gadget's readObject never ran, on either member");
    }

    @Test
    void aValueOfAnotherTypeOrAMalformedClaimIsLeftOutAndTheGoodClaimsStay() {
        HazelcastAvailability availability = new HazelcastAvailability(honest);
        Digest other = blob("other type");
        hostile.getMap(HazelcastAvailability.MAP).put(other.toString(), "not holders");
        assertTrue(availability.holders(other).isEmpty());
        NodeInfo a = Nodes.popNode("a", "pop1");
        availability.advertise(a, other, Nodes.bits(2, 0, 1));
        assertEquals(Map.of(a, Nodes.bits(2, 0, 1)), availability.holders(other), "the advert replaced the string");

        Digest mixed = blob("mixed");
        ChunkBitmap bits = Nodes.bits(8, 0, 8);
        NodeRecord good = NodeRecord.of(a);
        hostile.getMap(HazelcastAvailability.MAP).put(mixed.toString(), new Holders(Map.of(
                "a", new Holders.Claim(good, 8, bits.toBytes()),
                "b", new Holders.Claim(new NodeRecord("pop1", "NOT-A-TIER", "", "127.0.0.9:1"), 8, bits.toBytes()),
                "c", new Holders.Claim(null, 8, bits.toBytes()),
                "d", new Holders.Claim(good, 8, null))));
        long before = availability.unreadable();
        assertEquals(Map.of(a, bits), availability.holders(mixed));
        assertTrue(availability.unreadable() > before, "the bad claim that got as far as parsing is counted");
    }

    @Test
    void aLeaseEntryOfAnotherTypeOrAGadgetCountsAsFree() {
        HazelcastLeases leases = new HazelcastLeases(honest, Duration.ofSeconds(30), SEAL, n -> true, Clock.systemUTC());
        hostile.getMap(HazelcastLeases.MAP).put("range-1", 42L);
        hostile.getMap(HazelcastLeases.MAP).put("range-2", new Gadget());
        NodeInfo a = Nodes.popNode("a", "pop1");
        assertInstanceOf(LeaseResult.Acquired.class, leases.acquire("range-1", a.id()));
        assertInstanceOf(LeaseResult.Acquired.class, leases.acquire("range-2", a.id()));
        assertEquals(0, Gadget.READ.get());
    }

    @Test
    void aGadgetPublishedOnTheHealthTopicIsCountedAsForgedAndNeverRead() throws InterruptedException {
        String topic = "mesh.health.hostile-" + UUID.randomUUID();
        HazelcastMembership membership = new HazelcastMembership(honest, Duration.ofSeconds(5), SEAL, topic);
        try {
            hostile.getTopic(topic).publish(new Gadget());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (membership.forgeries() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, membership.forgeries());
            assertEquals(0, Gadget.READ.get());
        } finally {
            membership.close();
        }
    }
}
