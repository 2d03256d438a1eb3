package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.config.Config;

/** Failure-detection settings shared by the in-process and child-process members of a test. */
final class MembershipHazelcast {
    private MembershipHazelcast() {
    }

    /** Heartbeats every second; a member silent for {@code memberTimeoutSeconds} is dropped. */
    static Config timeouts(Config c, String memberTimeoutSeconds) {
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", memberTimeoutSeconds);
        return c;
    }
}
