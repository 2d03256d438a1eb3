package dev.chunkmesh.gossip.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.store.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link Availability} in a Hazelcast map shared by a POP: one entry per blob (key: the digest text)
 * holding every node's claim with its chunk bitmap. Updates run as entry processors on the owning
 * member, so concurrent adverts for one blob never lose each other. Calls block: keep them off event
 * loops.
 */
public final class HazelcastAvailability implements Availability {

    static final String MAP = "mesh.availability";
    private final IMap<String, Holders> map;

    public HazelcastAvailability(HazelcastInstance hazelcast) {
        this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(MAP);
    }

    @Override
    public void advertise(NodeInfo node, Digest blob, ChunkBitmap held) {
        Holders.Claim claim = new Holders.Claim(NodeRecord.of(node), held.length(), held.toBytes());
        map.executeOnKey(blob.toString(), new Put(node.id().name(), claim));
    }

    @Override
    public void withdraw(NodeId node, Digest blob) {
        map.executeOnKey(blob.toString(), new Remove(node.name()));
    }

    @Override
    public void withdrawAll(NodeId node) {
        map.executeOnEntries(new Remove(node.name()));
    }

    @Override
    public Watch watch(Digest blob, Runnable changed) {
        UUID id = map.addEntryListener(new Changed(changed), blob.toString(), false);
        return () -> map.removeEntryListener(id);
    }

    /** Hears adds, updates and removals of one key, from Hazelcast's event threads. */
    private record Changed(Runnable changed) implements EntryAddedListener<String, Holders>,
            EntryUpdatedListener<String, Holders>, EntryRemovedListener<String, Holders> {
        @Override
        public void entryAdded(EntryEvent<String, Holders> e) {
            changed.run();
        }

        @Override
        public void entryUpdated(EntryEvent<String, Holders> e) {
            changed.run();
        }

        @Override
        public void entryRemoved(EntryEvent<String, Holders> e) {
            changed.run();
        }
    }

    @Override
    public Map<NodeInfo, ChunkBitmap> holders(Digest blob) {
        Holders h = map.get(blob.toString());
        Map<NodeInfo, ChunkBitmap> out = new HashMap<>();
        if (h != null) {
            h.byNode.forEach((name, c) -> out.put(c.node().toNodeInfo(name), ChunkBitmap.fromBytes(c.length(), c.bits())));
        }
        return out;
    }

    private record Put(String node, Holders.Claim claim) implements EntryProcessor<String, Holders, Void> {
        @Override
        public Void process(Map.Entry<String, Holders> entry) {
            Map<String, Holders.Claim> next = entry.getValue() == null ? new HashMap<>() : new HashMap<>(entry.getValue().byNode);
            next.put(node, claim);
            entry.setValue(new Holders(next));
            return null;
        }
    }

    private record Remove(String node) implements EntryProcessor<String, Holders, Void> {
        @Override
        public Void process(Map.Entry<String, Holders> entry) {
            if (entry.getValue() == null || !entry.getValue().byNode.containsKey(node)) {
                return null;
            }
            Map<String, Holders.Claim> next = new HashMap<>(entry.getValue().byNode);
            next.remove(node);
            entry.setValue(next.isEmpty() ? null : new Holders(next));
            return null;
        }
    }
}
