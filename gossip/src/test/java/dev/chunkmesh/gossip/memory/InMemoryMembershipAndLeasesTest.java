package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Leases;
import dev.chunkmesh.gossip.Membership;
import dev.chunkmesh.gossip.MembershipAndLeasesContract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

class InMemoryMembershipAndLeasesTest extends MembershipAndLeasesContract {

    private Instant time = Instant.parse("2026-11-22T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return time;
        }
    };

    @Override
    protected Membership newMembership() {
        return new InMemoryMembership(clock, LIFETIME);
    }

    @Override
    protected Leases newLeases() {
        return new InMemoryLeases(clock, LIFETIME);
    }

    @Override
    protected void passLifetime() {
        time = time.plus(LIFETIME).plusMillis(1);
    }

    @Override
    protected Instant now() {
        return time;
    }
}
