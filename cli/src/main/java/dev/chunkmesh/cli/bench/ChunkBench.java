package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.ChunkerOptions;
import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.ChunkFrame;
import dev.chunkmesh.store.ChunkStore;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.ForwardingChunkStore;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.chunker.StreamChunker;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import dev.chunkmesh.store.ingest.BlobIngester;
import dev.chunkmesh.store.memory.InMemoryChunkStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench chunk}: in one run on one in-memory input, the throughput of plain single-thread
 * SHA-256, the chunker alone, the ingest without writes, the device floor (the same bytes written
 * sequentially into the store's folder with one fdatasync at the end), and the full ingest (chunk +
 * SHA-256 + frame + append to a disk store) into the store's folder with fsync on and on tmpfs.
 */
@Command(name = "chunk", mixinStandardHelpOptions = true,
        description = "Throughput of SHA-256, the chunker and the full ingest, side by side on the same input.")
public final class ChunkBench implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", description = "Input size (default: 512MiB).")
    ByteSize size = ByteSize.parse("512MiB");

    @Option(names = "--rounds", description = "Measured rounds; the median is reported (default: 5).")
    int rounds = 5;

    @Option(names = "--data", description = "Input kind: random (incompressible) or text (compressible). Default: random.")
    String data = "random";

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the bench store is written (default: a temp folder).")
    Path dir;

    @Option(names = "--no-fsync", description = "Do not force chunks to the device before they become visible.")
    boolean noFsync;

    @Option(names = "--tmpfs", paramLabel = "DIR", description = "A folder on tmpfs for the in-memory ingest (default: /dev/shm).")
    Path tmpfs = Path.of("/dev/shm");

    @Option(names = "--workers", description = "Ingest worker threads (default: available processors).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Mixin
    ChunkerOptions chunker;

    @Override
    public Integer call() throws Exception {
        byte[] input = input(size.asInt("--size"), data);
        ChunkerParams params = chunker.params();
        boolean fsync = !noFsync;
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("mesh-bench-chunk");
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        double[] sha = new double[rounds];
        double[] cdc = new double[rounds];
        double[] cpu = new double[rounds];
        double[] files = new double[rounds];
        double[] ingest = new double[rounds];
        double[] memory = new double[rounds];
        Path shm = Files.isDirectory(tmpfs) && Files.isWritable(tmpfs) ? Files.createTempDirectory(tmpfs, "mesh-bench-chunk") : null;
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
                Path floorFile = root.resolve("floor.bin");
                double f = Stopwatch.seconds(() -> deviceFloor(input, floorFile));
                Files.deleteIfExists(floorFile);
                long[] counts = new long[2];
                double i = Stopwatch.seconds(() -> ingestInto(root.resolve("store"), fsync, input, params, pool, counts));
                double m = shm == null ? Double.NaN : Stopwatch.seconds(() -> ingestInto(shm.resolve("store"), true, input, params, pool,
                        new long[2]));
                if (r >= 0) {
                    sha[r] = input.length / s / 1e6;
                    cdc[r] = input.length / c / 1e6;
                    cpu[r] = input.length / p / 1e6;
                    files[r] = input.length / f / 1e6;
                    ingest[r] = input.length / i / 1e6;
                    memory[r] = input.length / m / 1e6;
                    chunks = counts[0];
                    stored = counts[1];
                    System.err.printf(Locale.ROOT, "  round %d: sha256 %.0f MB/s, chunker %.0f MB/s, ingest without writes %.0f MB/s,"
                            + " device floor %.0f MB/s, ingest %.0f MB/s, ingest on tmpfs %.0f MB/s%n", r + 1, sha[r], cdc[r], cpu[r], files[r],
                            ingest[r], memory[r]);
                }
            }
        } finally {
            pool.shutdownNow();
            if (dir == null) {
                FileTrees.deleteRecursively(root);
            } else {
                FileTrees.deleteRecursively(root.resolve("store"));
            }
            if (shm != null) {
                FileTrees.deleteRecursively(shm);
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
        double floorM = Stopwatch.median(files);
        double memM = Stopwatch.median(memory);
        System.out.printf(Locale.ROOT, "device floor      %8.0f MB/s   (the input written sequentially into %s, one fdatasync at the end)%n",
                floorM, root.toAbsolutePath());
        System.out.printf(Locale.ROOT, "full ingest       %8.0f MB/s   (%.2f x device floor, %.2f x sha256; %d workers, fsync %s)%n", ingM,
                ingM / floorM, ingM / shaM, workers, fsync ? "on" : "off");
        System.out.printf(Locale.ROOT, "ingest on tmpfs   %8.0f MB/s   (%.2f x sha256; %s)%n", memM, memM / shaM,
                shm == null ? "no tmpfs at " + tmpfs : shm.getParent());
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

        @Override
        public CompletableFuture<Digest> putAsync(byte[] raw, PinSet pins) {
            return CompletableFuture.completedFuture(put(raw, pins));
        }
    }

    /** The device floor: the input written sequentially, in 1 MiB writes, with one fdatasync at the end. */
    private static void deviceFloor(byte[] input, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int off = 0; off < input.length; off += 1 << 20) {
                ByteBuffer buf = ByteBuffer.wrap(input, off, Math.min(1 << 20, input.length - off));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(false);
        }
    }

    /** Ingests the input into a fresh disk store in {@code storeDir}; counts[0] chunks, counts[1] bytes stored. */
    private void ingestInto(Path storeDir, boolean fsync, byte[] input, ChunkerParams params, ExecutorService pool, long[] counts)
            throws Exception {
        FileTrees.deleteRecursively(storeDir);
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(storeDir, StoreLimits.unlimited(), fsync));
             PinSet pins = store.openPinSet()) {
            counts[0] = new BlobIngester(store, params, pool, 2 * workers + 2).ingest(new ByteArrayInputStream(input), pins, n -> { })
                    .chunks().size();
            counts[1] = store.stats().usedBytes();
        }
        FileTrees.deleteRecursively(storeDir);
    }

    private static void sha256(byte[] input) {
        MessageDigest md = Digest.newSha256();
        for (int off = 0; off < input.length; off += 1 << 20) {
            md.update(input, off, Math.min(1 << 20, input.length - off));
        }
        md.digest();
    }

    /** {@code n} bytes of {@code kind} ("random" or "text"), the same on every call (a fixed seed). */
    public static byte[] input(int n, String kind) {
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
