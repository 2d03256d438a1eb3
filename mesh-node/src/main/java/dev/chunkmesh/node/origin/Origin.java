package dev.chunkmesh.node.origin;

import dev.chunkmesh.catalog.oci.ImageSource;
import dev.chunkmesh.gossip.plan.SourceKind;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.Recipe;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The node's way to its origin registry: whole-blob streams for a blob nobody has chunked yet, and
 * Range requests for runs of adjacent chunks nobody in the POP holds. Every chunk taken from a range
 * is verified against its digest; everything read counts against the node's origin bandwidth.
 * Calls block: run them on worker threads. A manifest or blob the origin does not have fails a call
 * with {@link OriginNotFoundException}; any other {@link IOException} means it could not be asked or failed.
 */
public interface Origin {

    /** What the origin answered a client's own credentials: its HTTP status and, with a 401, its challenge. */
    record Access(int status, Optional<String> challenge) {}

    /** How the bytes taken from here are counted: the origin, or the tier above this POP ({@link SourceKind#PARENT}). */
    default SourceKind source() {
        return SourceKind.ORIGIN;
    }

    /**
     * The blob's recipe, if this origin already knows one (an upper tier whose node holds the blob), so
     * a POP takes only the chunks it lacks instead of streaming the blob whole; empty when it knows
     * none or cannot say. Advice only: a pull checks the blob it makes against its digest.
     */
    default Optional<Recipe> recipe(String repository, Digest blob) {
        return Optional.empty();
    }

    /** The manifest or index a tag or digest names. */
    ImageSource.Fetched manifest(String repository, String reference) throws IOException;

    /** The same for a client's {@code Accept} header, as a mirror forwards it. */
    ImageSource.Fetched manifest(String repository, String reference, String accept) throws IOException;

    /**
     * What the origin answers a client's own credentials for {@code path} (for example
     * {@code /blobs/sha256:…}) of {@code repository}: the mirror's access check for private images.
     */
    Access access(String repository, String path, Optional<String> authorization) throws IOException;

    /** The blob's size in bytes. */
    long size(String repository, Digest blob) throws IOException;

    /** The blob from {@code offset} to its end. */
    InputStream blobFrom(String repository, Digest blob, long offset) throws IOException;

    /** The raw bytes of {@code [offset, offset+length)} of the blob. */
    byte[] range(String repository, Digest blob, long offset, int length) throws IOException;

    /** {@link #range} for a run of adjacent chunks, cut into the chunks and each verified. */
    default List<byte[]> chunks(String repository, Digest blob, List<ChunkRef> run) throws IOException {
        long start = run.get(0).offset();
        long end = run.get(run.size() - 1).end();
        byte[] bytes = range(repository, blob, start, Math.toIntExact(end - start));
        List<byte[]> out = new ArrayList<>(run.size());
        for (ChunkRef c : run) {
            int from = (int) (c.offset() - start);
            byte[] raw = Arrays.copyOfRange(bytes, from, from + c.length());
            Digest actual = Digest.sha256(raw);
            if (!actual.equals(c.digest())) {
                throw new ChunkCorruptException(c.digest(), "the origin's bytes " + c.offset() + "-" + (c.end() - 1) + " of " + blob
                        + " hash to " + actual);
            }
            out.add(raw);
        }
        return out;
    }

    /** Wraps a stream so that reading it is held to {@code bandwidth}. */
    static InputStream throttled(InputStream in, Bandwidth bandwidth) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    try {
                        bandwidth.take(n);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while held to the origin bandwidth");
                    }
                }
                return n;
            }
        };
    }
}
