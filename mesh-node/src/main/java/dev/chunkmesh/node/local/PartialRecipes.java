package dev.chunkmesh.node.local;

import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The growing recipes of blobs this node is chunking from a stream (a first pull), one append-only
 * text file per blob ({@code <dir>/<hex>.partial}, a line {@code offset length sha256:hex} per chunk,
 * in the order the chunks were stored), so that a node restarted after a crash knows which chunks on
 * its disk begin the blob and streams only the rest. A line is written as soon as its chunk is stored,
 * never fsynced: a crash of the process loses no written line, a power loss may lose the last ones.
 * What is read back is advice; the reader adopts a chunk only if the store still holds it and it reads
 * back right.
 */
public final class PartialRecipes {
    private static final Logger LOG = Logger.getLogger(PartialRecipes.class.getName());

    /** The record of one blob's chunks as they are stored; appends never fail the caller. */
    public interface Journal extends AutoCloseable {
        /** Records {@code chunk}, stored, as the next of the blob. */
        void append(ChunkRef chunk);

        @Override
        void close();
    }

    private final Path dir;

    public PartialRecipes(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("create partial recipe folder " + dir, e);
        }
    }

    /** The chunks recorded for {@code blob} that tile it from offset 0 without a gap, in blob order; unreadable lines are skipped. */
    public List<ChunkRef> read(Digest blob) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file(blob), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException absent) {
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            LOG.warning("partial recipe of " + blob + " unreadable, starting over: " + e);
            return List.of();
        }
        Map<Long, ChunkRef> byOffset = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            try {
                if (f.length == 3) {
                    ChunkRef c = new ChunkRef(Long.parseLong(f[0]), Integer.parseInt(f[1]), Digest.parse(f[2]));
                    byOffset.putIfAbsent(c.offset(), c);
                }
            } catch (RuntimeException torn) {
                // the line a crash cut short
            }
        }
        List<ChunkRef> out = new ArrayList<>();
        for (ChunkRef c = byOffset.get(0L); c != null; c = byOffset.get(c.end())) {
            out.add(c);
        }
        return out;
    }

    /**
     * Starts the record of {@code blob} anew with {@code prefix}, its first chunks; what was recorded
     * before is replaced. If the file cannot be written, the journal records nothing.
     */
    public Journal open(Digest blob, List<ChunkRef> prefix) {
        try {
            FileChannel out = FileChannel.open(file(blob), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            FileJournal j = new FileJournal(blob, out);
            prefix.forEach(j::append);
            return j;
        } catch (IOException e) {
            LOG.warning("cannot record the partial recipe of " + blob + "; a restart will stream it from the start: " + e);
            return new FileJournal(blob, null);
        }
    }

    /** Forgets what was recorded for {@code blob}: its recipe is known whole. */
    public void delete(Digest blob) {
        try {
            Files.deleteIfExists(file(blob));
        } catch (IOException e) {
            LOG.warning("cannot delete the partial recipe of " + blob + ": " + e);
        }
    }

    private Path file(Digest blob) {
        return dir.resolve(blob.hex() + ".partial");
    }

    private static final class FileJournal implements Journal {
        private final Digest blob;
        private FileChannel out;

        FileJournal(Digest blob, FileChannel out) {
            this.blob = blob;
            this.out = out;
        }

        @Override
        public synchronized void append(ChunkRef c) {
            if (out == null) {
                return;
            }
            ByteBuffer line = ByteBuffer.wrap((c.offset() + " " + c.length() + " " + c.digest() + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (line.hasRemaining()) {
                    out.write(line);
                }
            } catch (IOException e) {
                LOG.warning("partial recipe of " + blob + " no longer recorded: " + e);
                close();
            }
        }

        @Override
        public synchronized void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // nothing more to write
                }
                out = null;
            }
        }
    }
}
