package dev.chunkmesh.cli.bench;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.Progress;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.StoreLimits;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh bench store-index}: fills a disk store with many small chunks, then times how long
 * reopening it takes after a crash (no checkpoint: every segment scanned and checked) and after a
 * clean close (the checkpoint), and how much heap the index takes.
 */
@Command(name = "store-index", mixinStandardHelpOptions = true,
        description = "Time the index rebuild of a disk store holding many chunks.")
final class StoreIndexBench implements Callable<Integer> {

    @Option(names = "--chunks", description = "Chunks to store (default: 1000000).")
    int chunks = 1_000_000;

    @Option(names = "--chunk-size", paramLabel = "SIZE", description = "Bytes per chunk (default: 256; the rebuild reads no chunk bytes).")
    ByteSize chunkSize = new ByteSize(256);

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the store is made (default: a temp folder, removed afterwards).")
    Path dir;

    @Option(names = "--reopens", description = "Timed reopens; the median is reported (default: 3).")
    int reopens = 3;

    @Override
    public Integer call() throws Exception {
        Path root = dir != null ? dir : Files.createTempDirectory("mesh-bench-index");
        Path storeDir = root.resolve("store");
        int size = chunkSize.asInt("--chunk-size");
        try {
            fill(storeDir, size);
            double[] snapshotOpen = new double[reopens];
            double[] scanOpen = new double[reopens];
            double[] close = new double[reopens];
            long heap = 0;
            long table = 0;
            long found = 0;
            for (int r = 0; r < reopens; r++) {
                Files.deleteIfExists(storeDir.resolve("segments.index"));
                scanOpen[r] = timeOpen(storeDir);
                long before = usedHeap();
                long t0 = System.nanoTime();
                DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(storeDir, StoreLimits.unlimited(), false));
                snapshotOpen[r] = (System.nanoTime() - t0) / 1e9;
                heap = usedHeap() - before;
                table = store.indexBytes();
                found = store.stats().chunks();
                t0 = System.nanoTime();
                store.close();
                close[r] = (System.nanoTime() - t0) / 1e9;
                System.err.printf(Locale.ROOT, "  round %d: open by full scan %.2f s, open from the checkpoint %.2f s, close %.2f s%n",
                        r + 1, scanOpen[r], snapshotOpen[r], close[r]);
            }
            double scan = Stopwatch.median(scanOpen);
            double snap = Stopwatch.median(snapshotOpen);
            System.out.printf(Locale.ROOT, "chunks indexed              %d%n", found);
            System.out.printf(Locale.ROOT, "open after a crash (scan)   %.2f s  (%.0f chunks/s: no checkpoint, every record of every segment read"
                    + " and checked)%n", scan, found / scan);
            System.out.printf(Locale.ROOT, "open after a clean close    %.2f s  (the checkpoint)%n", snap);
            System.out.printf(Locale.ROOT, "clean close                 %.2f s  (writing the checkpoint)%n", Stopwatch.median(close));
            System.out.printf(Locale.ROOT, "index table                 %s  (%.1f bytes per chunk)%n", ByteSize.human(table), (double) table / Math.max(1, found));
            System.out.printf(Locale.ROOT, "heap after open             %s  (%.1f bytes per chunk, after GC: the table and the rest of the store)%n",
                    ByteSize.human(heap), (double) heap / Math.max(1, found));
            System.out.printf(Locale.ROOT, "median of %d rounds%n", reopens);
            System.out.println("page cache warm: the files were just written or read; a cold cache after a reboot is slower");
        } finally {
            FileTrees.deleteRecursively(dir != null ? storeDir : root);
        }
        return 0;
    }

    /** Opens and closes the store (which writes a snapshot); returns the time of the open. */
    private static double timeOpen(Path storeDir) throws Exception {
        long t0 = System.nanoTime();
        DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(storeDir, StoreLimits.unlimited(), false));
        double s = (System.nanoTime() - t0) / 1e9;
        store.close();
        return s;
    }

    private void fill(Path storeDir, int size) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        try (DiskChunkStore store = DiskChunkStore.open(new DiskStoreConfig(storeDir, StoreLimits.unlimited(), false));
             ProgressBar bar = Progress.count("writing chunks", chunks)) {
            Future<?>[] fs = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                fs[t] = pool.submit(() -> {
                    ArrayDeque<CompletableFuture<?>> window = new ArrayDeque<>();
                    for (long i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                        byte[] raw = new byte[size];
                        ByteBuffer.wrap(raw).putLong(i).putLong(i * 0x9E3779B97F4A7C15L);
                        window.add(store.putAsync(raw, PinSet.NONE));
                        if (window.size() >= 1024) {
                            window.poll().join();
                        }
                        bar.step();
                    }
                    window.forEach(CompletableFuture::join);
                    return null;
                });
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
