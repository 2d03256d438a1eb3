package dev.chunkmesh.gossip.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Nodes;
import dev.chunkmesh.gossip.Seal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What members of a real Hazelcast cluster hear of each other's heartbeats. */
class HazelcastMembershipTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    static final Seal SEAL = Seal.of("the POP's cluster secret", "gossip");
    private final String cluster = "mesh-test-" + UUID.randomUUID();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        members.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void otherMembersHearHeartbeatsAndLeaves() throws Exception {
        List<Integer> ports = ports(2);
        HazelcastMembership one = new HazelcastMembership(member(ports, 0), TTL, SEAL);
        HazelcastMembership two = new HazelcastMembership(member(ports, 1), TTL, SEAL);
        one.heartbeat(health("a", 500));
        await(() -> names(two).equals(List.of("a")), () -> "b hears a: " + names(two));
        Thread.sleep(5);
        one.heartbeat(health("a", 300));
        await(() -> two.alive().get(0).freeBytes() == 300, () -> "b hears a's latest figures: " + two.alive());
        two.heartbeat(health("b", 1));
        await(() -> names(one).equals(List.of("a", "b")), () -> "a hears b: " + names(one));
        one.leave(Nodes.popNode("a", "pop1").id());
        await(() -> names(two).equals(List.of("b")), () -> "a's leave reaches b: " + names(two));
        Thread.sleep(TTL.toMillis() + 500);
        assertEquals(List.of(), names(two), "b stopped beating, so it is gone from its own view too");
    }

    /**
     * A member that joined the cluster knowing its name but not the secret publishes heartbeats and
     * leaves through the same code with another key: a ghost node, a far-future heartbeat of a real
     * node and its leave. None of them counts; the real node stays alive and keeps being heard.
     */
    @Test
    void heartbeatsAndLeavesWithoutTheClusterSecretAreIgnored() throws Exception {
        List<Integer> ports = ports(3);
        HazelcastInstance first = member(ports, 0);
        HazelcastMembership one = new HazelcastMembership(first, TTL, SEAL);
        HazelcastMembership two = new HazelcastMembership(member(ports, 1), TTL, SEAL);
        HazelcastMembership intruder = new HazelcastMembership(member(ports, 2), TTL, Seal.of("a guess at the secret", "gossip"));
        one.heartbeat(health("a", 1));
        await(() -> names(two).equals(List.of("a")), () -> "b hears a: " + names(two));
        intruder.heartbeat(health("ghost", 1));
        intruder.heartbeat(new Health(Nodes.popNode("a", "pop1"), Instant.now().plus(Duration.ofHours(1)), 1, 0));
        intruder.leave(Nodes.popNode("a", "pop1").id());
        await(() -> two.forgeries() >= 3 && one.forgeries() >= 3, () -> "forgeries counted: " + two.forgeries() + " / " + one.forgeries());
        one.heartbeat(health("a", 2));
        await(() -> two.alive().size() == 1 && two.alive().get(0).freeBytes() == 2, () -> "a's next beat is heard: " + two.alive());
        assertEquals(List.of("a"), names(two), "no ghost, and a is not erased");
        assertEquals(Optional.of(first.getCluster().getLocalMember().getUuid()), two.memberOf(Nodes.popNode("a", "pop1").id()),
                "a is spoken for by the member that sealed its heartbeats, whatever another member claims");
    }

    /** A leave captured off the wire and sent again after its node beat once more erases nothing. */
    @Test
    void aReplayedLeaveDoesNotEraseANodeThatHasBeatenSince() throws Exception {
        List<Integer> ports = ports(2);
        HazelcastInstance m1 = member(ports, 0);
        HazelcastInstance m2 = member(ports, 1);
        HazelcastMembership one = new HazelcastMembership(m1, TTL, SEAL);
        HazelcastMembership two = new HazelcastMembership(m2, TTL, SEAL);
        List<Object> wire = new CopyOnWriteArrayList<>();
        m2.getTopic(HazelcastMembership.TOPIC).addMessageListener(m -> wire.add(m.getMessageObject()));
        one.heartbeat(health("a", 1));
        await(() -> names(two).equals(List.of("a")), () -> "b hears a: " + names(two));
        one.leave(Nodes.popNode("a", "pop1").id());
        await(() -> names(two).isEmpty(), () -> "a left: " + names(two));
        Object leave = wire.get(wire.size() - 1);
        Thread.sleep(5);
        one.heartbeat(health("a", 2));
        await(() -> names(two).equals(List.of("a")), () -> "a is back: " + names(two));
        m2.getTopic(HazelcastMembership.TOPIC).publish(leave);
        Thread.sleep(500);
        assertEquals(List.of("a"), names(two), "the replayed leave is older than a's last heartbeat");
    }

    @Test
    void aNewMemberHearsTheOthersWithoutWaitingForTheirNextHeartbeat() throws Exception {
        List<Integer> ports = ports(2);
        HazelcastMembership one = new HazelcastMembership(member(ports, 0), Duration.ofMinutes(1), SEAL);
        one.heartbeat(health("a", 1));
        HazelcastMembership late = new HazelcastMembership(member(ports, 1), Duration.ofMinutes(1), SEAL);
        late.heartbeat(health("b", 1));
        await(() -> names(late).equals(List.of("a", "b")), () -> "the newcomer was answered with a's last heartbeat: " + names(late));
    }

    /**
     * A member frozen in place (SIGSTOP: its connections stay open, it answers nothing) until Hazelcast
     * drops it: the healthy nodes must stay alive in every view, each read answered from memory. A
     * heartbeat map in partitions fails this: writes and reads touching the frozen member's
     * partitions wait for it to be dropped, by which time the healthy nodes' entries have expired.
     */
    @Test
    void aFrozenMemberMakesNoHealthyNodeLookDeadWhileItIsDropped() throws Exception {
        assumeTrue(Path.of("/bin/kill").toFile().canExecute(), "needs /bin/kill to freeze a process");
        List<Integer> ports = ports(3);
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), MemberMain.class.getName(), cluster, ports.get(2).toString(), "3",
                "127.0.0.1:" + ports.get(0), "127.0.0.1:" + ports.get(1), "127.0.0.1:" + ports.get(2)).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException gone) {
                // the child was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        HazelcastInstance m1 = member(ports, 0);
        HazelcastInstance m2 = member(ports, 1);
        assertTrue(ready.await(60, TimeUnit.SECONDS), "the child member started");
        await(() -> m1.getCluster().getMembers().size() == 3, () -> "three members: " + m1.getCluster().getMembers());
        HazelcastMembership one = new HazelcastMembership(m1, TTL, SEAL);
        HazelcastMembership two = new HazelcastMembership(m2, TTL, SEAL);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("n" + (char) ('a' + i));
        }
        ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);
        try {
            for (int i = 0; i < names.size(); i++) {
                HazelcastMembership via = i % 2 == 0 ? one : two;
                String name = names.get(i);
                beats.scheduleAtFixedRate(() -> via.heartbeat(health(name, 1)), 0, 500, TimeUnit.MILLISECONDS);
            }
            await(() -> names(one).equals(names) && names(two).equals(names), () -> "everyone heard: " + names(one) + " / " + names(two));
            new ProcessBuilder("/bin/kill", "-STOP", Long.toString(child.pid())).start().waitFor();
            int reads = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3 + 4);
            while (System.nanoTime() < until) {
                for (HazelcastMembership m : List.of(one, two)) {
                    assertEquals(names, names(m), "read " + reads + " while the frozen member is being dropped");
                    reads++;
                }
                Thread.sleep(50);
            }
            await(() -> m1.getCluster().getMembers().size() == 2, () -> "the frozen member is dropped: " + m1.getCluster().getMembers());
            assertEquals(names, names(one));
            assertTrue(reads > 100, "reads made: " + reads);
            System.out.printf("frozen member: %d reads of the view over %d s while it was dropped, 0 of %d healthy nodes missing%n",
                    reads, 3 + 4, names.size());
        } finally {
            beats.shutdownNow();
        }
    }

    private HazelcastInstance member(List<Integer> ports, int index) {
        List<String> list = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        HazelcastInstance h = Hazelcast.newHazelcastInstance(HazelcastSettings.dropSilentMembersAfter(
                new HazelcastSettings(cluster, "127.0.0.1", ports.get(index), list).toConfig("m" + index + "-" + cluster), Duration.ofSeconds(3)));
        members.add(h);
        return h;
    }

    private static List<Integer> ports(int n) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(HazelcastAvailabilityTest.freePort());
        }
        return out;
    }

    private static Health health(String name, long free) {
        return new Health(Nodes.popNode(name, "pop1"), Instant.now(), free, 0);
    }

    private static List<String> names(HazelcastMembership m) {
        return m.alive().stream().map(h -> h.node().id().name()).toList();
    }

    private static void await(BooleanSupplier condition, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(message.get());
    }
}
