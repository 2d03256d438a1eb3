package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Entries another member wrote as objects the serialization filter refuses ({@link HazelcastSettings}): no
 * member can read them, and Hazelcast reads an entry's old value to replace it, so an entry processor cannot
 * overwrite one either. They are deleted (a delete reads nothing), and the operation run once more.
 */
final class RefusedEntries {
    private static final Logger LOG = Logger.getLogger(RefusedEntries.class.getName());

    private RefusedEntries() {
    }

    /**
     * Runs {@code op} on the entries of {@code keys}; if it fails on an entry that cannot be read, deletes every
     * such entry of {@code keys} and runs {@code op} once more.
     */
    static <R> R deletedAndRetried(IMap<String, ?> map, Collection<String> keys, Supplier<R> op) {
        return deletedAndRetried(map, () -> keys, op);
    }

    /** As above, for entries that {@code keys} lists only if {@code op} fails (every key of the map, say). */
    static <R> R deletedAndRetried(IMap<String, ?> map, Supplier<? extends Collection<String>> keys, Supplier<R> op) {
        try {
            return op.get();
        } catch (HazelcastSerializationException refused) {
            int deleted = 0;
            for (String key : keys.get()) {
                if (!readable(map, key)) {
                    map.delete(key);
                    deleted++;
                }
            }
            if (deleted == 0) {
                throw refused;
            }
            LOG.warning("deleted " + deleted + " entries of " + map.getName() + " that no node wrote (objects of a class the serialization"
                    + " filter refuses)");
            return op.get();
        }
    }

    /** Whether the entry of {@code key} (present or not) can be read. */
    static boolean readable(IMap<String, ?> map, String key) {
        try {
            map.get(key);
            return true;
        } catch (HazelcastSerializationException | SecurityException refused) {
            return false;
        }
    }
}
