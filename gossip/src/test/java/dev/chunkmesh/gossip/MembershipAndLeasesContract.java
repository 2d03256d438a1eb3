package dev.chunkmesh.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Membership} and {@link Leases} must do. Subclasses give them a time-to-live and a
 * lease time of {@link #LIFETIME}, and say how to let that much time pass.
 */
public abstract class MembershipAndLeasesContract {

    protected static final Duration LIFETIME = Duration.ofSeconds(2);

    protected abstract Membership newMembership() throws Exception;

    protected abstract Leases newLeases() throws Exception;

    /** Lets more than {@link #LIFETIME} pass, on whatever clock the implementations use. */
    protected abstract void passLifetime() throws Exception;

    protected abstract Instant now();

    private final NodeInfo a = Nodes.popNode("a", "pop1");
    private final NodeInfo b = Nodes.popNode("b", "pop1");

    @Test
    void listsLiveMembersWithTheirLatestHealth() throws Exception {
        Membership m = newMembership();
        m.heartbeat(new Health(b, now(), 100, 1));
        m.heartbeat(new Health(a, now(), 200, 0));
        m.heartbeat(new Health(b, now(), 50, 3));
        List<Health> alive = m.alive();
        assertEquals(List.of("a", "b"), alive.stream().map(h -> h.node().id().name()).toList());
        assertEquals(3, alive.get(1).activeTransfers());
        assertEquals(50, alive.get(1).freeBytes());
    }

    @Test
    void aSilentMemberDisappearsAfterTheTimeToLive() throws Exception {
        Membership m = newMembership();
        m.heartbeat(new Health(a, now(), 1, 0));
        m.heartbeat(new Health(b, now(), 1, 0));
        m.leave(b.id());
        assertEquals(1, m.alive().size());
        passLifetime();
        assertTrue(m.alive().isEmpty(), "a stopped heartbeating: " + m.alive());
    }

    @Test
    void onlyOneNodeHoldsALeaseAtATime() throws Exception {
        Leases l = newLeases();
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("chunk-1", a.id()));
        assertEquals(new LeaseResult.HeldBy("chunk-1", a.id()), l.acquire("chunk-1", b.id()));
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("chunk-1", a.id()), "the holder may renew");
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("chunk-2", b.id()), "other keys are independent");
        l.release("chunk-1", b.id());
        assertEquals(new LeaseResult.HeldBy("chunk-1", a.id()), l.acquire("chunk-1", b.id()), "only the holder releases");
        l.release("chunk-1", a.id());
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("chunk-1", b.id()));
    }

    @Test
    void aLeaseDiesWithItsHolder() throws Exception {
        Leases l = newLeases();
        l.acquire("range-7", a.id());
        passLifetime();
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("range-7", b.id()), "a stopped renewing, so the lease lapsed");
    }

    @Test
    void manyLeasesAreTakenAtOnceEachOnItsOwn() throws Exception {
        Leases l = newLeases();
        l.acquire("chunk-2", b.id());
        Map<String, LeaseResult> got = l.acquireAll(List.of("chunk-1", "chunk-2", "chunk-3"), a.id());
        assertEquals(List.of("chunk-1", "chunk-2", "chunk-3"), List.copyOf(got.keySet()));
        assertInstanceOf(LeaseResult.Acquired.class, got.get("chunk-1"));
        assertEquals(new LeaseResult.HeldBy("chunk-2", b.id()), got.get("chunk-2"));
        assertInstanceOf(LeaseResult.Acquired.class, got.get("chunk-3"));
        l.releaseAll(List.of("chunk-1", "chunk-2", "chunk-3"), a.id());
        assertInstanceOf(LeaseResult.Acquired.class, l.acquire("chunk-1", b.id()));
        assertEquals(new LeaseResult.HeldBy("chunk-2", b.id()), l.acquire("chunk-2", a.id()), "b's lease survives a's release");
    }
}
