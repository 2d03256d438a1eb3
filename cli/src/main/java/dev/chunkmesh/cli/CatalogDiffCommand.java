package dev.chunkmesh.cli;

import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.catalog.Catalog;
import dev.chunkmesh.catalog.CatalogDelta;
import dev.chunkmesh.catalog.json.CanonicalJson;
import dev.chunkmesh.catalog.sign.CatalogRefusedException;
import dev.chunkmesh.catalog.sign.SignedCatalog;
import dev.chunkmesh.catalog.sign.TrustStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh catalog diff OLD NEW [--json]}: what moving from OLD to NEW transfers. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "New blobs, new chunks and new bytes of NEW over OLD, per image and in total.")
final class CatalogDiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OLD")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW")
    Path newer;

    @Option(names = "--json", description = "One JSON document for machines instead of the table.")
    boolean json;

    @Option(names = "--trust", paramLabel = "PUBLIC_KEY_OR_DIR", description = "Verify both catalogs first (signature and expiry).")
    Path trust;

    @Override
    public Integer call() throws Exception {
        Catalog a;
        Catalog b;
        TrustStore store = trust == null ? null : TrustStore.load(trust);
        try {
            a = read(older, store);
            b = read(newer, store);
        } catch (CatalogRefusedException e) {
            System.err.println("refused: " + e.getMessage());
            return CatalogVerifyCommand.REFUSED;
        }
        CatalogDelta delta = CatalogDelta.between(a, b);
        if (json) {
            System.out.println(new String(CanonicalJson.write(toJson(a, b, delta)), StandardCharsets.UTF_8));
        } else {
            printTable(a, b, delta);
        }
        return 0;
    }

    private static Catalog read(Path file, TrustStore store) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return store == null ? SignedCatalog.readUnverified(bytes) : SignedCatalog.verify(bytes, store, Instant.now()).catalog();
    }

    private static Map<String, Object> totals(CatalogDelta.Totals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("new_blobs", t.newBlobs());
        m.put("new_chunks", t.newChunks());
        m.put("new_bytes", t.newBytes());
        m.put("total_bytes", t.totalBytes());
        m.put("ratio", Math.round(t.ratio() * 1e6) / 1e6);
        return m;
    }

    private static Map<String, Object> toJson(Catalog a, Catalog b, CatalogDelta delta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("old_sequence", a.sequence());
        m.put("new_sequence", b.sequence());
        List<Object> images = new ArrayList<>();
        for (CatalogDelta.ImageDelta i : delta.images()) {
            Map<String, Object> im = totals(i.totals());
            im.put("image", i.reference());
            images.add(im);
        }
        m.put("images", images);
        m.put("total", totals(delta.total()));
        return m;
    }

    private static void printTable(Catalog a, Catalog b, CatalogDelta delta) {
        System.out.printf("catalog %d -> %d%n", a.sequence(), b.sequence());
        String row = "%-40s %9s %10s %12s %12s %7s%n";
        System.out.printf(row, "image", "new blobs", "new chunks", "new bytes", "total bytes", "ratio");
        for (CatalogDelta.ImageDelta i : delta.images()) {
            print(row, i.reference(), i.totals());
        }
        print(row, "total (shared chunks once)", delta.total());
    }

    private static void print(String row, String name, CatalogDelta.Totals t) {
        System.out.printf(Locale.ROOT, row, name, t.newBlobs(), t.newChunks(), ByteSize.human(t.newBytes()), ByteSize.human(t.totalBytes()),
                String.format(Locale.ROOT, "%.1f %%", 100 * t.ratio()));
    }
}
