package dev.chunkmesh.cli.demo;

import dev.chunkmesh.cli.FileTrees;
import dev.chunkmesh.cli.Progress;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.ChunkCorruptException;
import dev.chunkmesh.store.ChunkRef;
import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.PinSet;
import dev.chunkmesh.store.Recipe;
import dev.chunkmesh.store.chunker.ChunkerParams;
import dev.chunkmesh.store.disk.DiskChunkStore;
import dev.chunkmesh.store.disk.DiskStoreConfig;
import dev.chunkmesh.store.ingest.BlobIngester;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh demo store}: the chunk store alone at work on generated, layer-like files: ingest,
 * delta between two versions, byte-exact reassembly, a corrupt chunk caught, and an index rebuilt on
 * restart.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Run the chunk store on two versions of a generated layer and print what it did.")
final class DemoStoreCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Where the demo keeps its files (default: ./data/demo-store).")
    Path data = Path.of("data", "demo-store");

    @Option(names = "--size", paramLabel = "SIZE", description = "Size of the generated layer (default: 64MiB).")
    ByteSize size = ByteSize.parse("64MiB");

    private final ChunkerParams params = ChunkerParams.DEFAULTS;

    private record Row(String step, String result) {}

    @Override
    public Integer call() throws Exception {
        Path storeDir = data.resolve("store");
        FileTrees.deleteRecursively(data);
        Files.createDirectories(data);
        Path v1 = data.resolve("layer-v1.tar");
        Path v2 = data.resolve("layer-v2.tar");
        DemoLayers.write(v1, size.bytes(), 1);
        DemoLayers.write(v2, size.bytes(), 2);
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService workers = Executors.newFixedThreadPool(cores);
        StringBuilder table = new StringBuilder();
        try (DiskChunkStore store = DiskChunkStore.open(DiskStoreConfig.of(storeDir, Long.MAX_VALUE))) {
            BlobIngester ingester = new BlobIngester(store, params, workers, 2 * cores + 2);
            Recipe r1 = ingest(ingester, store, v1, "layer v1", table);
            Set<Digest> known = new HashSet<>();
            r1.chunks().forEach(c -> known.add(c.digest()));
            Recipe r2 = ingest(ingester, store, v2, "layer v2", table);
            long newChunks = 0;
            long newBytes = 0;
            for (ChunkRef c : r2.chunks()) {
                if (known.add(c.digest())) {
                    newChunks++;
                    newBytes += c.length();
                }
            }
            row(table, "delta v1 -> v2", String.format(Locale.ROOT, "%d new chunks, %s of %s (%.1f %%) to move",
                    newChunks, ByteSize.human(newBytes), ByteSize.human(r2.size()), 100.0 * newBytes / r2.size()));
            row(table, "reassemble v2", reassemble(store, r2));
            row(table, "corrupt a stored chunk", corruptOne(store, r2.chunks().get(r2.chunks().size() / 2).digest()));
        } finally {
            workers.shutdownNow();
        }
        try (DiskChunkStore reopened = DiskChunkStore.open(DiskStoreConfig.of(storeDir, Long.MAX_VALUE))) {
            DiskChunkStore.OpenReport report = reopened.openReport();
            row(table, "restart the store", String.format(Locale.ROOT, "%d chunks (%s) indexed in %d ms (%s)",
                    report.chunks(), ByteSize.human(report.bytes()), report.millis(),
                    report.fromSnapshot() ? "from the checkpoint of the clean close" : "by a full scan of the segments"));
        }
        System.out.println();
        System.out.println("chunk mesh demo: the chunk store on two versions of a generated " + ByteSize.human(size.bytes()) + " layer");
        System.out.println("chunker: FastCDC 2016, min " + ByteSize.human(params.minSize()) + ", avg " + ByteSize.human(params.avgSize())
                + ", max " + ByteSize.human(params.maxSize()) + ", normalization " + params.normalization());
        System.out.print(table);
        System.out.println("store: " + storeDir.toAbsolutePath());
        System.out.println("The peer-to-peer node, registry mirror and multi-node demo are not built yet; this demo covers the chunk store.");
        return 0;
    }

    private Recipe ingest(BlobIngester ingester, DiskChunkStore store, Path file, String name, StringBuilder table) throws IOException {
        long before = store.stats().usedBytes();
        long chunksBefore = store.stats().chunks();
        long t0 = System.nanoTime();
        Recipe recipe;
        try (InputStream in = Files.newInputStream(file); PinSet pins = store.openPinSet();
             ProgressBar bar = Progress.bytes("ingest " + name, Files.size(file))) {
            recipe = ingester.ingest(in, pins, bar::stepTo);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        row(table, "ingest " + name, String.format(Locale.ROOT, "%s in %d chunks, %d new, %s written, %.2f s (%.0f MB/s)",
                ByteSize.human(recipe.size()), recipe.chunks().size(), store.stats().chunks() - chunksBefore,
                ByteSize.human(store.stats().usedBytes() - before), s, recipe.size() / s / 1e6));
        return recipe;
    }

    private static String reassemble(DiskChunkStore store, Recipe recipe) {
        MessageDigest md = Digest.newSha256();
        for (ChunkRef c : recipe.chunks()) {
            md.update(store.get(c.digest()));
        }
        Digest d = Digest.ofBytes(md.digest());
        return (d.equals(recipe.blob()) ? "byte-exact: " : "MISMATCH: ") + d.shortForm() + "...";
    }

    private static String corruptOne(DiskChunkStore store, Digest victim) throws IOException {
        DiskChunkStore.FrameLocation at = store.locationOf(victim).orElseThrow();
        try (FileChannel ch = FileChannel.open(at.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long last = at.offset() + at.length() - 1;
            ch.read(b, last);
            b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
            ch.write(b, last);
        }
        try {
            store.get(victim);
            return "NOT DETECTED";
        } catch (ChunkCorruptException e) {
            return "refused on read by its CRC32C (" + victim.shortForm() + "...), record kept in corrupt/, store holds it: "
                    + store.has(victim);
        }
    }

    private static void row(StringBuilder table, String step, String result) {
        table.append(String.format(Locale.ROOT, "  %-22s %s%n", step, result));
    }
}
