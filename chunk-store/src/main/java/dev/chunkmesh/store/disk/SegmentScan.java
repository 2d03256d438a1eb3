package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkIndex;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment's records from an offset to its end, as recovery does after a crash: each record is
 * checked (magic, length, CRC32C), and the file is cut at the first one that is torn or damaged, so
 * nothing after it is ever taken for a chunk.
 */
final class SegmentScan {

    /** Hears of each whole record found. */
    @FunctionalInterface
    interface Found {
        void record(Digest digest, long offset, int frameLength);
    }

    /** What a scan found: records, bytes read, and whether a torn tail was cut off. */
    record Result(long records, long bytesRead, boolean cut) {}

    private SegmentScan() {
    }

    /** Bytes read from the file at once while scanning. */
    static final int BLOCK = 4 << 20;

    static Result scan(Segment segment, long from, Found found) throws IOException {
        FileChannel ch = segment.channel();
        long end = ch.size();
        long offset = from;
        long records = 0;
        boolean cut = false;
        Window w = new Window(ch);
        while (offset < end) {
            if (!w.holds(offset, Record.HEADER) || w.getInt(offset) != Record.MAGIC) {
                cut = true;
                break;
            }
            int length = w.getInt(offset + 4);
            if (length <= 0 || length > ChunkIndex.MAX_FRAME || offset + Record.span(length) > end
                    || !w.holds(offset, Record.HEADER + length)) {
                cut = true;
                break;
            }
            ByteBuffer record = ByteBuffer.wrap(w.bytes, w.index(offset), Record.HEADER + length).slice();
            if (!Record.crcMatches(record, length)) {
                cut = true;
                break;
            }
            found.record(Record.digest(record), offset, length);
            records++;
            offset += Record.span(length);
        }
        if (cut) {
            ch.truncate(offset);
            ch.force(true);
        }
        segment.size.set(offset);
        return new Result(records, offset - from, cut);
    }

    /** A window of the file in memory, moved and grown as the scan needs. */
    private static final class Window {
        private final FileChannel ch;
        byte[] bytes = new byte[BLOCK];
        private long start = -1;
        private int length;

        Window(FileChannel ch) {
            this.ch = ch;
        }

        /** Whether {@code [at, at + n)} is in memory after reading it in if needed; false past the end of the file. */
        boolean holds(long at, int n) throws IOException {
            if (start >= 0 && at >= start && at + n <= start + length) {
                return true;
            }
            if (bytes.length < n) {
                bytes = new byte[Math.max(n, BLOCK)];
            }
            start = at;
            length = readFully(ch, ByteBuffer.wrap(bytes), at);
            return at + n <= start + length;
        }

        int index(long at) {
            return (int) (at - start);
        }

        int getInt(long at) {
            int i = index(at);
            return ((bytes[i] & 0xFF) << 24) | ((bytes[i + 1] & 0xFF) << 16) | ((bytes[i + 2] & 0xFF) << 8) | (bytes[i + 3] & 0xFF);
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
