package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.Seal;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Membership} as heartbeats broadcast on a Hazelcast topic. Every member keeps its own table of
 * what it heard and when, by its own monotonic clock: reading it never waits on the cluster, and a
 * node is alive while this member has heard from it within the time-to-live. Nothing is kept in a
 * partition, so a member that falls silent (a cut link, a frozen process) stalls nobody else's
 * heartbeats and cannot make healthy nodes look dead while Hazelcast decides to drop it. A member
 * that hears a node for the first time (a newcomer, or the other half of a healed split) answers
 * with its own latest heartbeats at once, so a new node sees the POP within a round trip.
 *
 * <p>Every heartbeat and leave carries a {@link Seal} tag over all its fields; one without a valid tag
 * (forged by a member that lacks the cluster secret) is dropped and counted. A leave counts only if it
 * is newer than the last heartbeat heard from its node, so a replayed leave cannot erase a live node.
 */
public final class HazelcastMembership implements Membership, AutoCloseable {

    /** Versioned: messages are sealed since v2, and a node of an older version neither hears nor sends them. */
    static final String TOPIC = "mesh.health.v2";

    /**
     * A heartbeat as sent. Beats of v2 nodes that still carry an upload-rate field (always 0) are read as
     * Java serialization reads a record: a field the class lacks is skipped, one it has that the sender
     * lacks is left at its default; the seal still covers that retired field as "0", so both kinds check
     * ({@code HeartbeatWireTest}).
     */
    record Beat(String name, NodeRecord node, long heartbeatMillis, long freeBytes, int activeTransfers, String member, String tag)
            implements Serializable {
        private static final long serialVersionUID = 4L;
        /** The retired upload rate, as every v2 node sent it and sealed it. */
        private static final String RETIRED_UPLOAD_RATE = "0";

        String[] fields() {
            return new String[] {"beat", name, node.pop(), node.tier(), node.parentPop(), node.peerAddress(), Long.toString(heartbeatMillis),
                Long.toString(freeBytes), Integer.toString(activeTransfers), RETIRED_UPLOAD_RATE, member};
        }

        /** This beat with its tag: {@code seal}'s tag of its other fields. */
        Beat sealed(Seal seal) {
            return new Beat(name, node, heartbeatMillis, freeBytes, activeTransfers, member, seal.tag(fields()));
        }

        Health health() {
            return new Health(node.toNodeInfo(name), Instant.ofEpochMilli(heartbeatMillis), freeBytes, activeTransfers);
        }
    }

    private record Leave(String name, long atMillis, String tag) implements Serializable {
        private static final long serialVersionUID = 2L;

        static String[] fields(String name, long atMillis) {
            return new String[] {"leave", name, Long.toString(atMillis)};
        }
    }

    private record Heard(Beat beat, long atNanos) {
    }

    private final ITopic<Object> topic;
    private final Seal seal;
    private final String localMember;
    private final AtomicLong forged = new AtomicLong();
    /** The Hazelcast member that sent each node's newest sealed heartbeat, kept past the time-to-live. */
    private final Map<String, String> members = new ConcurrentHashMap<>();
    private final UUID registration;
    private final long ttlNanos;
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final Map<String, Heard> own = new ConcurrentHashMap<>();
    /** The last heartbeat time (the sender's clock) of nodes that left: older beats still in flight are ignored. */
    private final Map<String, Long> left = new ConcurrentHashMap<>();

    public HazelcastMembership(HazelcastInstance hazelcast, Duration ttl, Seal seal) {
        this(hazelcast, ttl, seal, TOPIC);
    }

    /** On a topic of its own, for tests that must not hear each other. */
    HazelcastMembership(HazelcastInstance hazelcast, Duration ttl, Seal seal, String topicName) {
        this.ttlNanos = Objects.requireNonNull(ttl, "ttl").toNanos();
        this.seal = Objects.requireNonNull(seal, "seal");
        this.topic = Objects.requireNonNull(hazelcast, "hazelcast").getTopic(topicName);
        this.localMember = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.registration = topic.addMessageListener(this::received);
    }

    @Override
    public void heartbeat(Health h) {
        Beat beat = new Beat(h.node().id().name(), NodeRecord.of(h.node()), h.heartbeat().toEpochMilli(), h.freeBytes(),
                h.activeTransfers(), localMember, null).sealed(seal);
        Heard now = new Heard(beat, System.nanoTime());
        own.put(beat.name(), now);
        members.put(beat.name(), localMember);
        left.remove(beat.name());
        heard.put(beat.name(), now);
        topic.publish(beat);
    }

    @Override
    public void leave(NodeId node) {
        Heard last = heard.get(node.name());
        long at = last == null ? System.currentTimeMillis() : last.beat().heartbeatMillis() + 1;
        forget(node.name(), at);
        topic.publish(new Leave(node.name(), at, seal.tag(Leave.fields(node.name(), at))));
    }

    /**
     * The Hazelcast member (its UUID) that sent the latest heartbeat heard from {@code node}, as that
     * heartbeat's seal vouches, however long ago; empty if none was heard. A member's departure concerns a
     * node only if it matches.
     */
    public Optional<UUID> memberOf(NodeId node) {
        return Optional.ofNullable(members.get(node.name())).map(UUID::fromString);
    }

    /** How many heartbeats and leaves this member dropped because their tag did not check. */
    public long forgeries() {
        return forged.get();
    }

    @Override
    public List<Health> alive() {
        long now = System.nanoTime();
        heard.values().removeIf(h -> now - h.atNanos() > ttlNanos);
        return heard.values().stream().map(h -> h.beat().health()).sorted(Comparator.comparing(h -> h.node().id())).toList();
    }

    /** Stops listening; the instance answers nothing afterwards. */
    @Override
    public void close() {
        topic.removeMessageListener(registration);
    }

    private void received(Message<Object> message) {
        Object m;
        try {
            m = message.getMessageObject();
        } catch (HazelcastSerializationException | SecurityException refused) {
            forged.incrementAndGet();
            return;
        }
        if (m instanceof Leave l && seal.check(l.tag(), Leave.fields(l.name(), l.atMillis()))) {
            Heard last = heard.get(l.name());
            if (last == null || last.beat().heartbeatMillis() < l.atMillis()) {
                forget(l.name(), l.atMillis());
            }
        } else if (m instanceof Beat b && b.node() != null && b.member() != null && seal.check(b.tag(), b.fields())) {
            hear(b);
        } else {
            forged.incrementAndGet();
        }
    }

    /** Forgets {@code name}; heartbeats it sent up to {@code atMillis} (its clock), still in flight, are ignored. */
    private void forget(String name, long atMillis) {
        heard.remove(name);
        own.remove(name);
        left.merge(name, atMillis, Math::max);
    }

    private void hear(Beat b) {
        Long gone = left.get(b.name());
        if (gone != null && b.heartbeatMillis() <= gone) {
            return;
        }
        Heard mine = own.get(b.name());
        if (mine != null && b.heartbeatMillis() <= mine.beat().heartbeatMillis()) {
            return; // the echo of a beat this member sent: what it recorded when sending is as new or newer
        }
        left.remove(b.name());
        long now = System.nanoTime();
        boolean[] fresh = {false};
        heard.compute(b.name(), (name, before) -> {
            if (before != null && before.beat().heartbeatMillis() >= b.heartbeatMillis()) {
                return before; // only a newer beat keeps a node alive: a replayed one does not
            }
            fresh[0] = before == null || now - before.atNanos() > ttlNanos;
            members.put(b.name(), b.member());
            return new Heard(b, now);
        });
        if (fresh[0] && !own.containsKey(b.name())) {
            answer(now);
        }
    }

    /** Re-sends this member's own recent heartbeats, for a node that has not heard them yet. */
    private void answer(long now) {
        for (Heard h : own.values()) {
            if (now - h.atNanos() <= ttlNanos) {
                topic.publish(h.beat());
            }
        }
    }
}
