package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

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

    static Result scan(Segment segment, long from, Found found) throws IOException {
        FileChannel ch = segment.channel();
        long end = ch.size();
        long offset = from;
        long records = 0;
        ByteBuffer header = ByteBuffer.allocate(Record.HEADER);
        byte[] frame = new byte[0];
        boolean cut = false;
        while (offset < end) {
            header.clear();
            if (readFully(ch, header, offset) < Record.HEADER || header.getInt(0) != Record.MAGIC) {
                cut = true;
                break;
            }
            int length = header.getInt(4);
            if (length <= 0 || length > dev.chunkmesh.store.ChunkIndex.MAX_FRAME || offset + Record.span(length) > end) {
                cut = true;
                break;
            }
            if (frame.length < length) {
                frame = new byte[Math.max(length, 1 << 16)];
            }
            ByteBuffer body = ByteBuffer.wrap(frame, 0, length);
            if (readFully(ch, body, offset + Record.HEADER) < length) {
                cut = true;
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, 44);
            crc.update(frame, 0, length);
            if ((int) crc.getValue() != header.getInt(44)) {
                cut = true;
                break;
            }
            found.record(Record.digest(header), offset, length);
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
