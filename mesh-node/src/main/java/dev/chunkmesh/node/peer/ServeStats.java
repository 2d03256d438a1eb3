package dev.chunkmesh.node.peer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the peer server is doing, for the node's heartbeat: transfers in flight, bytes served, requests answered busy. */
public final class ServeStats {
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder busy = new LongAdder();

    public int activeTransfers() {
        return active.get();
    }

    public long bytesServed() {
        return bytes.sum();
    }

    /** Chunk requests answered busy (503) so far, because all upload slots were taken. */
    public long busyAnswers() {
        return busy.sum();
    }

    /** Begins a transfer if fewer than {@code slots} are in flight; false (nothing begun) if all slots are taken. */
    boolean tryBegin(int slots) {
        int now;
        do {
            now = active.get();
            if (now >= slots) {
                busy.increment();
                return false;
            }
        } while (!active.compareAndSet(now, now + 1));
        return true;
    }

    /** {@code served} bytes were read for a peer. */
    void served(long served) {
        bytes.add(served);
    }

    /** A transfer begun with {@link #tryBegin} is over: its slot is free. */
    void release() {
        active.decrementAndGet();
    }
}
