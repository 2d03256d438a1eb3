package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import java.time.Duration;
import java.util.List;

/**
 * A bare Hazelcast member in a process of its own, for tests that freeze or kill it. Arguments: cluster
 * name, port on 127.0.0.1, member-timeout in seconds, then the member list. Prints {@code ready} once
 * it has joined.
 */
public final class MemberMain {
    private MemberMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Config c = new HazelcastSettings(args[0], "127.0.0.1", Integer.parseInt(args[1]), List.of(args).subList(3, args.length))
                .toConfig("child-" + args[1]);
        HazelcastSettings.dropSilentMembersAfter(c, Duration.ofSeconds(Long.parseLong(args[2])));
        Hazelcast.newHazelcastInstance(c);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
