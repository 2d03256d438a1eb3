package dev.chunkmesh.gossip.memory;

import dev.chunkmesh.gossip.Availability;
import dev.chunkmesh.gossip.ChunkBitmap;
import dev.chunkmesh.gossip.NodeId;
import dev.chunkmesh.gossip.NodeInfo;
import dev.chunkmesh.store.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** {@link Availability} in one process's memory, for unit tests and the simulator. */
public final class InMemoryAvailability implements Availability {

    private final ConcurrentHashMap<Digest, Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>>> byBlob = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Digest, CopyOnWriteArrayList<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Executor notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-memory-availability-watch");
        t.setDaemon(true);
        return t;
    });

    @Override
    public Watch watch(Digest blob, Runnable changed) {
        watchers.computeIfAbsent(blob, k -> new CopyOnWriteArrayList<>()).add(changed);
        return () -> watchers.computeIfPresent(blob, (k, list) -> {
            list.remove(changed);
            return list.isEmpty() ? null : list;
        });
    }

    private void changed(Digest blob) {
        var list = watchers.get(blob);
        if (list != null) {
            list.forEach(notifier::execute);
        }
    }

    @Override
    public void advertise(NodeInfo node, Digest blob, ChunkBitmap held) {
        byBlob.compute(blob, (k, holders) -> {
            Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>> next = holders == null ? new HashMap<>() : new HashMap<>(holders);
            next.put(node.id(), Map.entry(node, held));
            return next;
        });
        changed(blob);
    }

    @Override
    public void withdraw(NodeId node, Digest blob) {
        byBlob.computeIfPresent(blob, (k, holders) -> {
            Map<NodeId, Map.Entry<NodeInfo, ChunkBitmap>> next = new HashMap<>(holders);
            next.remove(node);
            return next.isEmpty() ? null : next;
        });
        changed(blob);
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
