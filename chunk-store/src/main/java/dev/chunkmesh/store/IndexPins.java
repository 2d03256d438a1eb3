package dev.chunkmesh.store;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A pin set of a {@link ChunkIndex}: counts its digests in the index's pin counts, under the index's
 * monitor, so eviction sees every pin of every open set.
 */
final class IndexPins implements PinSet {
    private final Object lock;
    private final Map<Digest, Integer> pinCounts;
    private final Set<Digest> pinned = new HashSet<>();
    private boolean closed;

    IndexPins(Object lock, Map<Digest, Integer> pinCounts) {
        this.lock = lock;
        this.pinCounts = pinCounts;
    }

    @Override
    public void pin(Digest digest) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("pin set is closed");
            }
            if (pinned.add(digest)) {
                pinCounts.merge(digest, 1, Integer::sum);
            }
        }
    }

    @Override
    public int size() {
        synchronized (lock) {
            return pinned.size();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Digest d : pinned) {
                pinCounts.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1);
            }
            pinned.clear();
        }
    }
}
