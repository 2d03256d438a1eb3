package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.store.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Availability} in one process's memory, for unit tests and the simulator. */
public final class InMemoryAvailability implements Availability {

    private final ConcurrentHashMap<Digest, Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>>> byBlob = new ConcurrentHashMap<>();

    @Override
    public void advertise(NodeInfo node, Digest blob, ChunkBitmap held) {
        byBlob.compute(blob, (k, holders) -> {
            Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>> next = holders == null ? new HashMap<>() : new HashMap<>(holders);
            next.put(node.id(), Map.entry(node, held));
            return next;
        });
    }

    @Override
    public void withdraw(NodeId node, Digest blob) {
        byBlob.computeIfPresent(blob, (k, holders) -> {
            Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>> next = new HashMap<>(holders);
            next.remove(node);
            return next.isEmpty() ? null : next;
        });
    }

    @Override
    public void withdrawAll(NodeId node) {
        for (Digest blob : byBlob.keySet()) {
            withdraw(node, blob);
        }
    }

    @Override
    public Map<NodeInfo, ChunkBitmap> holders(Digest blob) {
        Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>> holders = byBlob.get(blob);
        Map<NodeInfo, ChunkBitmap> out = new HashMap<>();
        if (holders != null) {
            holders.values().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }
}
