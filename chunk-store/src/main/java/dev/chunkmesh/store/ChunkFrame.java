package dev.chunkmesh.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The form a chunk takes on disk and on the wire: a 6-byte header, then the payload.
 *
 * <pre>
 *   byte 0     magic 0xC7
 *   byte 1     codec: 0 = raw, 1 = zstd
 *   bytes 2-5  raw length, unsigned big-endian
 *   bytes 6-   the raw bytes, or one zstd frame that decodes to them
 * </pre>
 *
 * A chunk is compressed only when the zstd frame is smaller than the raw bytes. {@link #decode} always
 * checks the SHA-256 of what it decoded against the digest it was asked for.
 */
public final class ChunkFrame {

    public static final int HEADER_SIZE = 6;
    static final byte MAGIC = (byte) 0xC7;
    static final byte RAW = 0;
    static final byte ZSTD = 1;
    /** Zstandard level used for chunks: fast, and most of the gain on layer data. */
    public static final int DEFAULT_LEVEL = 1;
    /** No chunk is larger than the chunker's largest maximum; a header claiming more is corrupt. */
    static final long MAX_RAW_LENGTH = ChunkerParams.MAXIMUM_MAX;

    private static final ThreadLocal<ZstdCompressCtx> COMPRESSORS = ThreadLocal.withInitial(() -> {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        ctx.setLevel(DEFAULT_LEVEL);
        ctx.setChecksum(false);
        return ctx;
    });
    /** One decompression context per thread: making one per call cost more than decoding a 64 KiB chunk. */
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSORS = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    private ChunkFrame() {
    }

    /** Chunks at least this long are first tried on a sample: incompressible data (most layers) skips zstd. */
    static final int SAMPLE_FROM = 16 * 1024;
    static final int SAMPLE = 4 * 1024;

    /**
     * Encodes {@code raw[offset, offset+length)} as a frame, compressed if that makes it smaller. A
     * chunk whose middle 4 KiB does not shrink by 3% is stored raw without compressing the rest.
     */
    public static byte[] encode(byte[] raw, int offset, int length) {
        return encode(raw, offset, length, true);
    }

    /** {@link #encode(byte[], int, int)}, or a raw frame without trying zstd when {@code compress} is false. */
    public static byte[] encode(byte[] raw, int offset, int length, boolean compress) {
        if (!compress) {
            return rawFrame(raw, offset, length);
        }
        int bound = (int) Zstd.compressBound(length);
        byte[] scratch = SCRATCH.get();
        if (scratch.length < bound) {
            scratch = new byte[bound];
            SCRATCH.set(scratch);
        }
        int compressed;
        if (length < 64) {
            compressed = length;
        } else if (length >= SAMPLE_FROM && COMPRESSORS.get().compressByteArray(scratch, 0, scratch.length, raw,
                offset + length / 2 - SAMPLE / 2, SAMPLE) > SAMPLE * 97 / 100) {
            compressed = length;
        } else {
            compressed = COMPRESSORS.get().compressByteArray(scratch, 0, scratch.length, raw, offset, length);
        }
        byte[] frame;
        if (compressed < length) {
            frame = header(ZSTD, length, compressed);
            System.arraycopy(scratch, 0, frame, HEADER_SIZE, compressed);
        } else {
            frame = rawFrame(raw, offset, length);
        }
        return frame;
    }

    private static byte[] rawFrame(byte[] raw, int offset, int length) {
        byte[] frame = header(RAW, length, length);
        System.arraycopy(raw, offset, frame, HEADER_SIZE, length);
        return frame;
    }

    /** Encodes all of {@code raw}. */
    public static byte[] encode(byte[] raw) {
        return encode(raw, 0, raw.length);
    }

    /**
     * Decodes a frame and verifies that its bytes hash to {@code expected}.
     *
     * @throws ChunkCorruptException if the frame is malformed or its content is not {@code expected}
     */
    public static byte[] decode(Digest expected, byte[] frame) {
        byte[] raw = decodeUnverified(expected, frame);
        Digest actual = Digest.sha256(raw);
        if (!actual.equals(expected)) {
            throw new ChunkCorruptException(expected, actual);
        }
        return raw;
    }

    /**
     * The raw bytes of a frame, verified to hash to {@code expected}: a view of {@code frame} past its
     * header when the frame is raw (no copy), else the decoded bytes.
     *
     * @throws ChunkCorruptException if the frame is malformed or its content is not {@code expected}
     */
    public static ByteBuffer verifiedView(Digest expected, byte[] frame) {
        ByteBuffer raw = rawView(expected, ByteBuffer.wrap(frame));
        MessageDigest sha = Digest.newSha256();
        sha.update(raw.duplicate());
        Digest actual = Digest.ofBytes(sha.digest());
        if (!actual.equals(expected)) {
            throw new ChunkCorruptException(expected, actual);
        }
        return raw;
    }

    /**
     * Decodes a frame whose bytes are already known to be the ones stored (a store checked the record's
     * checksum), without hashing them again.
     *
     * @throws ChunkCorruptException if the frame is malformed
     */
    public static byte[] decodeTrusted(Digest expected, byte[] frame) {
        return decodeUnverified(expected, frame);
    }

    /**
     * The raw bytes of a frame known to be the one stored: a view of {@code frame} past its header when
     * the frame is raw (no copy), else the decoded bytes.
     *
     * @throws ChunkCorruptException if the frame is malformed
     */
    public static ByteBuffer rawView(Digest expected, ByteBuffer frame) {
        return rawView(expected, frame, ByteBuffer::allocateDirect);
    }

    /**
     * {@link #rawView(Digest, ByteBuffer)}, decoding a compressed frame held off-heap into a buffer from
     * {@code decodeInto} (given the raw length; it must be direct, with at least that many bytes from
     * position 0) rather than a freshly allocated one. The result is then that buffer, limited to the raw bytes.
     */
    public static ByteBuffer rawView(Digest expected, ByteBuffer frame, IntFunction<ByteBuffer> decodeInto) {
        if (frame.remaining() >= HEADER_SIZE && frame.get(frame.position()) == MAGIC && frame.get(frame.position() + 1) == RAW) {
            int p = frame.position();
            long rawLength = frame.getInt(p + 2) & 0xFFFFFFFFL;
            if (rawLength != frame.remaining() - HEADER_SIZE) {
                throw new ChunkCorruptException(expected, "raw frame says " + rawLength + " bytes but carries " + (frame.remaining() - HEADER_SIZE));
            }
            return frame.slice(p + HEADER_SIZE, (int) rawLength);
        }
        if (frame.isDirect() && frame.remaining() >= HEADER_SIZE && frame.get(frame.position()) == MAGIC && frame.get(frame.position() + 1) == ZSTD) {
            return decodeDirect(expected, frame, decodeInto);
        }
        return ByteBuffer.wrap(decodeUnverified(expected, bytes(frame)));
    }

    /** The bytes of {@code b}: its array if it is exactly that (no copy), else a copy; callers only read them. */
    static byte[] bytes(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() + b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * A zstd frame held off-heap (a mapped segment) decoded into off-heap memory, without copying the
     * frame first: what a socket write takes without a further copy.
     */
    private static ByteBuffer decodeDirect(Digest expected, ByteBuffer frame, IntFunction<ByteBuffer> decodeInto) {
        int p = frame.position();
        long rawLength = frame.getInt(p + 2) & 0xFFFFFFFFL;
        if (rawLength > MAX_RAW_LENGTH) {
            throw new ChunkCorruptException(expected, "frame claims " + rawLength + " bytes, more than the largest chunk (" + MAX_RAW_LENGTH + ")");
        }
        ByteBuffer raw = decodeInto.apply((int) rawLength);
        if (!raw.isDirect() || raw.capacity() < rawLength) {
            throw new IllegalArgumentException("a buffer to decode into must be direct and hold " + rawLength + " bytes");
        }
        unzstd(expected, rawLength, () -> DECOMPRESSORS.get().decompressDirectByteBuffer(raw, 0, (int) rawLength, frame, p + HEADER_SIZE,
                frame.remaining() - HEADER_SIZE));
        return raw.clear().limit((int) rawLength);
    }

    /** Runs a zstd decode of a payload announced as {@code rawLength} bytes; anything but exactly that is corrupt. */
    private static void unzstd(Digest expected, long rawLength, LongSupplier decode) {
        long n;
        try {
            n = decode.getAsLong();
        } catch (ZstdException e) {
            throw new ChunkCorruptException(expected, "zstd payload does not decode: " + e.getMessage());
        }
        if (Zstd.isError(n)) {
            throw new ChunkCorruptException(expected, "zstd payload does not decode: " + Zstd.getErrorName(n));
        }
        if (n != rawLength) {
            throw new ChunkCorruptException(expected, "zstd payload decodes to " + n + " bytes, header says " + rawLength);
        }
    }

    private static byte[] decodeUnverified(Digest expected, byte[] frame) {
        if (frame.length < HEADER_SIZE) {
            throw new ChunkCorruptException(expected, "frame of " + frame.length + " bytes is shorter than its header");
        }
        if (frame[0] != MAGIC) {
            throw new ChunkCorruptException(expected, String.format("frame starts with 0x%02x, not the magic 0xc7", frame[0]));
        }
        long rawLength = readLength(frame);
        if (rawLength > MAX_RAW_LENGTH) {
            throw new ChunkCorruptException(expected, "frame claims " + rawLength + " bytes, more than the largest chunk (" + MAX_RAW_LENGTH + ")");
        }
        int payload = frame.length - HEADER_SIZE;
        switch (frame[1]) {
            case RAW: {
                if (rawLength != payload) {
                    throw new ChunkCorruptException(expected, "raw frame says " + rawLength + " bytes but carries " + payload);
                }
                byte[] raw = new byte[payload];
                System.arraycopy(frame, HEADER_SIZE, raw, 0, payload);
                return raw;
            }
            case ZSTD: {
                byte[] raw = new byte[(int) rawLength];
                unzstd(expected, rawLength, () -> DECOMPRESSORS.get().decompressByteArray(raw, 0, raw.length, frame, HEADER_SIZE, payload));
                return raw;
            }
            default:
                throw new ChunkCorruptException(expected, "unknown codec " + frame[1]);
        }
    }

    /** The raw length a frame header announces, or -1 if {@code frame} does not start with a header. */
    public static long rawLength(byte[] frame) {
        if (frame.length < HEADER_SIZE || frame[0] != MAGIC) {
            return -1;
        }
        return readLength(frame);
    }

    private static long readLength(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(2) & 0xFFFFFFFFL;
    }

    private static byte[] header(byte codec, int rawLength, int payload) {
        byte[] frame = new byte[HEADER_SIZE + payload];
        frame[0] = MAGIC;
        frame[1] = codec;
        frame[2] = (byte) (rawLength >>> 24);
        frame[3] = (byte) (rawLength >>> 16);
        frame[4] = (byte) (rawLength >>> 8);
        frame[5] = (byte) rawLength;
        return frame;
    }
}
