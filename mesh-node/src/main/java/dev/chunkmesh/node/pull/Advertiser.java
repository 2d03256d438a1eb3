package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.store.Digest;
import java.util.function.Supplier;

/**
 * Tells the POP what part of one blob this node holds while it pulls: at most every {@code interval}
 * nanoseconds when asked to {@link #soon}, at once when asked to {@link #now} (before a single-flight
 * lease is released, so waiters find the chunks).
 */
final class Advertiser {
    private final Availability availability;
    private final NodeInfo self;
    private final Digest blob;
    private final Supplier<ChunkBitmap> held;
    private final long intervalNanos;
    private long last = Long.MIN_VALUE / 2;

    Advertiser(Availability availability, NodeInfo self, Digest blob, Supplier<ChunkBitmap> held, long intervalNanos) {
        this.availability = availability;
        this.self = self;
        this.blob = blob;
        this.held = held;
        this.intervalNanos = intervalNanos;
    }

    synchronized void soon() {
        if (System.nanoTime() - last >= intervalNanos) {
            now();
        }
    }

    synchronized void now() {
        ChunkBitmap b = held.get();
        if (b.count() > 0) {
            availability.advertise(self, blob, b);
        }
        last = System.nanoTime();
    }
}
