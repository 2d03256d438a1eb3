package dev.chunkmesh.node.pull;

import dev.chunkmesh.gossip.plan.SourceKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Bytes of one pull by where they came from. Thread-safe. */
final class SourceTally {
    private final EnumMap<SourceKind, LongAdder> bytes = new EnumMap<>(SourceKind.class);

    SourceTally() {
        for (SourceKind k : SourceKind.values()) {
            bytes.put(k, new LongAdder());
        }
    }

    void add(SourceKind kind, long n) {
        bytes.get(kind).add(n);
    }

    long total() {
        return bytes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<SourceKind, Long> snapshot() {
        EnumMap<SourceKind, Long> out = new EnumMap<>(SourceKind.class);
        bytes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
