package dev.chunkmesh.store.disk;

import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.ingest.BlobIngester;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A child process for {@link KillDuringIngestTest}: ingests an endless stream until it is killed. */
public final class IngestUntilKilled {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (DiskChunkStore store = DiskChunkStore.open(DiskStoreConfig.of(root, Long.MAX_VALUE))) {
            Random random = new Random(seed);
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    return random.nextInt(256);
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    for (int i = 0; i < len; i++) {
                        b[off + i] = (byte) random.nextInt(4);
                    }
                    return len;
                }
            };
            System.out.println("ingesting");
            System.out.flush();
            new BlobIngester(store, new ChunkerParams(4096, 16384, 65536, 2), workers, 8).ingest(endless);
        }
    }
}
