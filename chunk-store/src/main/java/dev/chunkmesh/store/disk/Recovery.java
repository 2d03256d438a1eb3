package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Rebuilds the index at open: every segment file is adopted, the last checkpoint's chunks are loaded,
 * and each segment is scanned from the size the checkpoint saw (or whole, if it saw none) to its end,
 * cutting torn tails. Later records of a chunk win over earlier ones. Segments left with no live chunk
 * are deleted.
 */
final class Recovery {

    record Result(boolean fromCheckpoint, long tailBytes, int cut) {}

    private Recovery() {
    }

    static Result run(Path root, SegmentTable table, ChunkIndex index) throws IOException {
        Optional<List<Checkpoint.SegmentState>> checkpoint = Checkpoint.read(root);
        Map<Long, Checkpoint.SegmentState> seen = new HashMap<>();
        checkpoint.ifPresent(list -> {
            int chunks = 0;
            for (Checkpoint.SegmentState s : list) {
                seen.put(s.sequence(), s);
                chunks += s.chunks();
            }
            index.ensureCapacity(chunks);
        });
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(table.dir())) {
            list.filter(p -> Segment.sequenceOf(p.getFileName().toString()) >= 0).forEach(files::add);
        }
        files.sort((a, b) -> Long.compareUnsigned(Segment.sequenceOf(a.getFileName().toString()),
                Segment.sequenceOf(b.getFileName().toString())));
        long tail = 0;
        int cut = 0;
        for (Path f : files) {
            Segment s = table.adopt(f, Segment.sequenceOf(f.getFileName().toString()));
            s.sealed = true;
            Checkpoint.SegmentState state = seen.get(s.sequence);
            long from = 0;
            if (state != null && state.size() <= s.size.get()) {
                ByteBuffer e = state.entries();
                for (int i = 0; i < state.chunks(); i++) {
                    int p = i * Checkpoint.ENTRY;
                    int size = e.getInt(p + 36);
                    long offset = (e.getInt(p + 32) & 0xFFFFFFFFL) << 3;
                    if (size <= 0 || size > ChunkIndex.MAX_FRAME || offset + Record.span(size) > s.size.get()) {
                        continue;
                    }
                    index.load(new Digest(e.getLong(p), e.getLong(p + 8), e.getLong(p + 16), e.getLong(p + 24)),
                            SegmentTable.position(s.slot, offset), size);
                }
                from = state.size();
            }
            SegmentScan.Result r = SegmentScan.scan(s, from, (digest, offset, length) ->
                    index.load(digest, SegmentTable.position(s.slot, offset), length));
            tail += r.bytesRead();
            cut += r.cut() ? 1 : 0;
        }
        long[] liveBytes = new long[SegmentTable.SLOTS];
        long[] liveChunks = new long[SegmentTable.SLOTS];
        index.forEachEntry((w0, w1, w2, w3, position, size) -> {
            liveBytes[SegmentTable.slotOf(position)] += size;
            liveChunks[SegmentTable.slotOf(position)]++;
        });
        for (Segment s : table.all()) {
            s.liveBytes.set(liveBytes[s.slot]);
            s.liveChunks.set(liveChunks[s.slot]);
        }
        for (Segment s : table.all()) {
            if (s.liveChunks.get() == 0) {
                table.drop(s);
            }
        }
        return new Result(checkpoint.isPresent(), tail, cut);
    }
}
