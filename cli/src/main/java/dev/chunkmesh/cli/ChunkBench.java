package dev.chunkmesh.cli;

import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.StreamChunker;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import dev.chunkmesh.store.ingest.BlobIngester;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench chunk}: in one run on one in-memory input, the throughput of plain single-thread
 * SHA-256, the chunker alone, and the full ingest (chunk + SHA-256 + frame + write to a disk store).
 */
@Command(name = "chunk", mixinStandardHelpOptions = true,
        description = "Throughput of SHA-256, the chunker and the full ingest, side by side on the same input.")
final class ChunkBench implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", description = "Input size (default: 512MiB).")
    ByteSize size = ByteSize.parse("512MiB");

    @Option(names = "--rounds", description = "Measured rounds; the median is reported (default: 5).")
    int rounds = 5;

    @Option(names = "--data", description = "Input kind: random (incompressible) or text (compressible). Default: random.")
    String data = "random";

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the bench store is written (default: a temp folder).")
    Path dir;

    @Option(names = "--no-fsync", description = "Do not force each chunk to the device before it becomes visible.")
    boolean noFsync;

    @Option(names = "--workers", description = "Ingest worker threads (default: available processors).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Mixin
    ChunkerOptions chunker;

    @Override
    public Integer call() throws Exception {
        byte[] input = input(size.asInt("--size"), data);
        ChunkerParams params = chunker.params();
        boolean fsync = !noFsync;
        Path root = dir != null ? dir : Files.createTempDirectory("mesh-bench-chunk");
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        double[] sha = new double[rounds];
        double[] cdc = new double[rounds];
        double[] cpu = new double[rounds];
        double[] files = new double[rounds];
        double[] ingest = new double[rounds];
        long chunks = 0;
        long stored = 0;
        try {
            System.err.printf("bench chunk: %s of %s data, %d rounds after one warm-up, %d ingest workers, fsync %s%n",
                    ByteSize.human(input.length), data, rounds, workers, fsync ? "on" : "off");
            for (int r = -1; r < rounds; r++) {
                double s = Stopwatch.seconds(() -> sha256(input));
                double c = Stopwatch.seconds(() -> new StreamChunker(params).chunk(new ByteArrayInputStream(input), (o, b, st, l) -> { }));
                double p = Stopwatch.seconds(() -> {
                    try (ChunkStore discard = new DiscardingStore(); PinSet pins = PinSet.NONE) {
                        new BlobIngester(discard, params, pool, 2 * workers + 2).ingest(new ByteArrayInputStream(input), pins, n -> { });
                    }
                });
                Path plainDir = root.resolve("plain");
                FileTrees.deleteRecursively(plainDir);
                double f = Stopwatch.seconds(() -> writePlainFiles(input, params.avgSize(), plainDir, fsync));
                FileTrees.deleteRecursively(plainDir);
                Path storeDir = root.resolve("store");
                FileTrees.deleteRecursively(storeDir);
                long[] counts = new long[2];
                double i = Stopwatch.seconds(() -> {
                    try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(storeDir,
                            dev.chunkmesh.store.StoreLimits.unlimited(), fsync));
                         PinSet pins = store.openPinSet()) {
                        counts[0] = new BlobIngester(store, params, pool, 2 * workers + 2)
                                .ingest(new ByteArrayInputStream(input), pins, n -> { }).chunks().size();
                        counts[1] = store.stats().usedBytes();
                    }
                });
                if (r >= 0) {
                    sha[r] = input.length / s / 1e6;
                    cdc[r] = input.length / c / 1e6;
                    cpu[r] = input.length / p / 1e6;
                    files[r] = input.length / f / 1e6;
                    ingest[r] = input.length / i / 1e6;
                    chunks = counts[0];
                    stored = counts[1];
                    System.err.printf(Locale.ROOT, "  round %d: sha256 %.0f MB/s, chunker %.0f MB/s, ingest without writes %.0f MB/s,"
                            + " plain file writes %.0f MB/s, ingest %.0f MB/s%n", r + 1, sha[r], cdc[r], cpu[r], files[r], ingest[r]);
                }
            }
        } finally {
            pool.shutdownNow();
            if (dir == null) {
                FileTrees.deleteRecursively(root);
            } else {
                FileTrees.deleteRecursively(root.resolve("store"));
            }
        }
        double shaM = Stopwatch.median(sha);
        double cdcM = Stopwatch.median(cdc);
        double cpuM = Stopwatch.median(cpu);
        double ingM = Stopwatch.median(ingest);
        System.out.printf(Locale.ROOT, "input            %s %s, %d chunks, %s stored%n", ByteSize.human(input.length), data, chunks,
                ByteSize.human(stored));
        System.out.printf(Locale.ROOT, "sha256 (1 thread) %8.0f MB/s%n", shaM);
        System.out.printf(Locale.ROOT, "chunker alone     %8.0f MB/s   (%.2f x sha256)%n", cdcM, cdcM / shaM);
        System.out.printf(Locale.ROOT, "ingest, no writes %8.0f MB/s   (%.2f x sha256; chunk + both SHA-256s + frame, %d workers)%n",
                cpuM, cpuM / shaM, workers);
        double filesM = Stopwatch.median(files);
        System.out.printf(Locale.ROOT, "plain file writes %8.0f MB/s   (%.2f x sha256; one file per %s, create + write%s + rename, 1 thread)%n",
                filesM, filesM / shaM, ByteSize.human(params.avgSize()), fsync ? " + fsync" : "");
        System.out.printf(Locale.ROOT, "full ingest       %8.0f MB/s   (%.2f x sha256; %d workers, fsync %s)%n", ingM, ingM / shaM,
                workers, fsync ? "on" : "off");
        System.out.printf(Locale.ROOT, "median of %d rounds; MB = 10^6 bytes%n", rounds);
        return 0;
    }

    /** Hashes and frames every chunk like a store would, then drops it: the ingest pipeline without I/O. */
    private static final class DiscardingStore extends ForwardingChunkStore {
        DiscardingStore() {
            super(new InMemoryChunkStore());
        }

        @Override
        public Digest put(byte[] raw, PinSet pins) {
            Digest d = Digest.sha256(raw);
            ChunkFrame.encode(raw);
            return d;
        }
    }

    /** The I/O floor of a file-per-chunk store: the input cut into fixed files, written one by one. */
    private static void writePlainFiles(byte[] input, int fileSize, Path dir, boolean fsync) throws java.io.IOException {
        Files.createDirectories(dir);
        for (int off = 0, i = 0; off < input.length; off += fileSize, i++) {
            Path temp = dir.resolve("t" + i);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(input, off, Math.min(fileSize, input.length - off));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(false);
                }
            }
            Files.move(temp, dir.resolve("f" + i), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void sha256(byte[] input) {
        MessageDigest md = Digest.newSha256();
        for (int off = 0; off < input.length; off += 1 << 20) {
            md.update(input, off, Math.min(1 << 20, input.length - off));
        }
        md.digest();
    }

    static byte[] input(int n, String kind) {
        byte[] out = new byte[n];
        SplittableRandom random = new SplittableRandom(42);
        switch (kind) {
            case "random" -> {
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8 && i + b < n; b++) {
                        out[i + b] = (byte) (v >>> (8 * b));
                    }
                }
            }
            case "text" -> {
                String words = "the layer manifest config chunk mesh node pop origin registry blob digest tar gzip ";
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) words.charAt((i + random.nextInt(4)) % words.length());
                }
            }
            default -> throw new IllegalArgumentException("--data must be random or text, got '" + kind + "'");
        }
        return out;
    }
}
