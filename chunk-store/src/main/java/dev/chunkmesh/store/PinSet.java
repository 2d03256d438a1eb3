package dev.chunkmesh.store;

/**
 * Chunks an in-flight blob needs: while a chunk is pinned by an open set, eviction skips it. A chunk
 * may be pinned before it is held. Closing the set releases all of its pins; closing twice is harmless.
 */
public interface PinSet extends AutoCloseable {

    /** A set that pins nothing, for chunks no in-flight blob needs. */
    PinSet NONE = new PinSet() {
        @Override
        public void pin(Digest digest) {
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    /** Pins {@code digest} until this set is closed; pinning the same digest twice is harmless. */
    void pin(Digest digest);

    /** How many distinct digests this set pins. */
    int size();

    @Override
    void close();
}
