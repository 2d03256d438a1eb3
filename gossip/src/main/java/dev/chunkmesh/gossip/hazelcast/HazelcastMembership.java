package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import dev.chunkmesh.gossip.Health;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.NodeId;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Membership} as heartbeats broadcast on a Hazelcast topic. Every member keeps its own table of
 * what it heard and when, by its own monotonic clock: reading it never waits on the cluster, and a
 * node is alive while this member has heard from it within the time-to-live. Nothing is kept in a
 * partition, so a member that falls silent (a cut link, a frozen process) stalls nobody else's
 * heartbeats and cannot make healthy nodes look dead while Hazelcast decides to drop it. A member
 * that hears a node for the first time (a newcomer, or the other half of a healed split) answers
 * with its own latest heartbeats at once, so a new node sees the POP within a round trip.
 */
public final class HazelcastMembership implements Membership, AutoCloseable {

    static final String TOPIC = "mesh.health";

    private record Beat(String name, NodeRecord node, long heartbeatMillis, long freeBytes, int activeTransfers,
            long uploadBytesPerSecond) implements Serializable {
        private static final long serialVersionUID = 2L;

        Health health() {
            return new Health(node.toNodeInfo(name), Instant.ofEpochMilli(heartbeatMillis), freeBytes, activeTransfers, uploadBytesPerSecond);
        }
    }

    private record Leave(String name) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private record Heard(Beat beat, long atNanos) {
    }

    private final ITopic<Object> topic;
    private final UUID registration;
    private final long ttlNanos;
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final Map<String, Heard> own = new ConcurrentHashMap<>();
    /** The last heartbeat time (the sender's clock) of nodes that left: older beats still in flight are ignored. */
    private final Map<String, Long> left = new ConcurrentHashMap<>();

    public HazelcastMembership(HazelcastInstance hazelcast, Duration ttl) {
        this(hazelcast, ttl, TOPIC);
    }

    /** On a topic of its own, for tests that must not hear each other. */
    HazelcastMembership(HazelcastInstance hazelcast, Duration ttl, String topicName) {
        this.ttlNanos = Objects.requireNonNull(ttl, "ttl").toNanos();
        this.topic = Objects.requireNonNull(hazelcast, "hazelcast").getTopic(topicName);
        this.registration = topic.addMessageListener(this::received);
    }

    @Override
    public void heartbeat(Health h) {
        Beat beat = new Beat(h.node().id().name(), NodeRecord.of(h.node()), h.heartbeat().toEpochMilli(), h.freeBytes(),
                h.activeTransfers(), h.uploadBytesPerSecond());
        Heard now = new Heard(beat, System.nanoTime());
        own.put(beat.name(), now);
        left.remove(beat.name());
        heard.put(beat.name(), now);
        topic.publish(beat);
    }

    @Override
    public void leave(NodeId node) {
        forget(node.name());
        topic.publish(new Leave(node.name()));
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
        if (message.getMessageObject() instanceof Leave l) {
            forget(l.name());
        } else if (message.getMessageObject() instanceof Beat b) {
            hear(b);
        }
    }

    private void forget(String name) {
        Heard last = heard.remove(name);
        own.remove(name);
        if (last != null) {
            left.merge(name, last.beat().heartbeatMillis(), Math::max);
        }
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
            if (before != null && before.beat().heartbeatMillis() > b.heartbeatMillis()) {
                return before;
            }
            fresh[0] = before == null || now - before.atNanos() > ttlNanos;
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
