package dev.chunkmesh.node.peer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the peer server is doing, for the node's heartbeat: transfers in flight and bytes served. */
public final class ServeStats {
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder bytes = new LongAdder();

    public int activeTransfers() {
        return active.get();
    }

    public long bytesServed() {
        return bytes.sum();
    }

    void begin() {
        active.incrementAndGet();
    }

    void end(long served) {
        active.decrementAndGet();
        bytes.add(served);
    }
}
