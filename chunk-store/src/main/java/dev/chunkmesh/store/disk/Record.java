package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.Digest;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One chunk in a segment file: a 48-byte header, the frame as stored ({@link dev.chunkmesh.store.ChunkFrame}),
 * then zero padding to the next multiple of 8.
 *
 * <pre>
 *   bytes 0-3    magic "CMR1"
 *   bytes 4-7    frame length, big-endian
 *   bytes 8-39   the chunk's SHA-256
 *   bytes 40-43  flags (0)
 *   bytes 44-47  CRC32C of bytes 0-43 and of the frame
 * </pre>
 *
 * The CRC makes a torn or damaged record detectable without hashing the chunk again.
 */
final class Record {
    static final int HEADER = 48;
    static final int MAGIC = 0x434d5231;

    private Record() {
    }

    /** Bytes the record of a frame of {@code frameLength} takes in its segment, padding included. */
    static int span(int frameLength) {
        return (HEADER + frameLength + 7) & ~7;
    }

    /** The header of {@code frame}'s record. */
    static ByteBuffer header(Digest digest, byte[] frame, int offset, int length) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.putInt(MAGIC).putInt(length).putLong(digest.w0()).putLong(digest.w1()).putLong(digest.w2()).putLong(digest.w3()).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 44);
        crc.update(frame, offset, length);
        h.putInt((int) crc.getValue());
        return h.flip();
    }

    /** The padding after a frame of {@code frameLength}. */
    static ByteBuffer padding(int frameLength) {
        return ByteBuffer.allocate(span(frameLength) - HEADER - frameLength);
    }

    /** The digest in a header. */
    static Digest digest(ByteBuffer header) {
        return new Digest(header.getLong(8), header.getLong(16), header.getLong(24), header.getLong(32));
    }

    /**
     * {@link #check} for a record seen through a buffer ({@code record} from its position: header, then frame).
     *
     * @throws ChunkCorruptException naming what is wrong
     */
    static void check(Digest expected, ByteBuffer record, int size) {
        int p = record.position();
        if (record.remaining() < HEADER + size || record.getInt(p) != MAGIC) {
            throw new ChunkCorruptException(expected, "stored record has no valid header");
        }
        if (record.getInt(p + 4) != size) {
            throw new ChunkCorruptException(expected, "stored record says " + record.getInt(p + 4) + " bytes, the index " + size);
        }
        Digest d = new Digest(record.getLong(p + 8), record.getLong(p + 16), record.getLong(p + 24), record.getLong(p + 32));
        if (!d.equals(expected)) {
            throw new ChunkCorruptException(expected, "stored record holds " + d);
        }
        if (!crcMatches(record, size)) {
            throw new ChunkCorruptException(expected, "stored record fails its CRC32C");
        }
    }

    /** Checks a whole record read back into {@code record[0, HEADER + size)}, as {@link #check(Digest, ByteBuffer, int)}. */
    static void check(Digest expected, byte[] record, int size) {
        check(expected, ByteBuffer.wrap(record), size);
    }

    /** Whether the record at {@code record}'s position, with a frame of {@code size} bytes, matches its CRC32C. */
    static boolean crcMatches(ByteBuffer record, int size) {
        int p = record.position();
        CRC32C crc = new CRC32C();
        crc.update(record.slice(p, 44));
        crc.update(record.slice(p + HEADER, size));
        return (int) crc.getValue() == record.getInt(p + 44);
    }
}
