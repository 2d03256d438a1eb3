package dev.chunkmesh.store.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Cuts a stream into FastCDC chunks without holding the blob in memory: it keeps one window of a few
 * maximum chunk sizes and hands each chunk to a {@link ChunkSink} in order.
 */
public final class StreamChunker {

    /** Receives each chunk in order; the bytes are only valid during the call. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(long offset, byte[] buf, int start, int length) throws IOException;
    }

    private final FastCdc cdc;
    private final int windowSize;

    public StreamChunker(ChunkerParams params) {
        this.cdc = new FastCdc(Objects.requireNonNull(params, "params"));
        this.windowSize = Math.max(4 * params.maxSize(), 1 << 20);
    }

    public ChunkerParams params() {
        return cdc.params();
    }

    /**
     * Reads {@code in} to its end and passes every chunk to {@code sink}; returns the total length.
     * The stream is not closed.
     */
    public long chunk(InputStream in, ChunkSink sink) throws IOException {
        byte[] buf = new byte[windowSize];
        int maxSize = cdc.params().maxSize();
        int start = 0;
        int end = 0;
        long offset = 0;
        boolean eof = false;
        while (true) {
            if (!eof && end - start < maxSize) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                while (end < buf.length) {
                    int n = in.read(buf, end, buf.length - end);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    end += n;
                }
            }
            int available = end - start;
            if (available == 0) {
                return offset;
            }
            int length = cdc.cut(buf, start, available).length();
            sink.accept(offset, buf, start, length);
            offset += length;
            start += length;
        }
    }
}
