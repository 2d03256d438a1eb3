package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.AvailabilityContract;

class InMemoryAvailabilityTest extends AvailabilityContract {
    @Override
    protected Availability newAvailability() {
        return new InMemoryAvailability();
    }
}
