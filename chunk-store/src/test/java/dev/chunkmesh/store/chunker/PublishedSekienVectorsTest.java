package dev.chunkmesh.store.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * fastcdc-rs's own published vectors for its fixture {@code test/fixtures/SekienAkashita.jpg}. The
 * fixture is not ours to ship, so this runs when {@code FASTCDC_SEKIEN} names a copy of it and is
 * skipped otherwise; {@link FastCdcTest} carries vectors made by fastcdc-rs from generated inputs.
 */
class PublishedSekienVectorsTest {

    private static byte[] fixture() throws IOException {
        String path = System.getenv("FASTCDC_SEKIEN");
        assumeTrue(path != null && Files.isReadable(Path.of(path)),
                "set FASTCDC_SEKIEN to fastcdc-rs's test/fixtures/SekienAkashita.jpg to run the published vectors");
        return Files.readAllBytes(Path.of(path));
    }

    private static void check(byte[] data, ChunkerParams p, long[][] expected) {
        FastCdc cdc = new FastCdc(p);
        int pos = 0;
        for (long[] e : expected) {
            FastCdc.Cut cut = cdc.cut(data, pos, data.length - pos);
            assertEquals(e[1], cut.length(), "length at " + pos);
            assertEquals(e[0], cut.hash(), "hash at " + pos);
            pos += cut.length();
        }
        assertEquals(data.length, pos);
    }

    private static long u(String s) {
        return Long.parseUnsignedLong(s);
    }

    @Test
    void cuts16kChunksLikeTheReference() throws IOException {
        check(fixture(), new ChunkerParams(4096, 16384, 65535, 1), new long[][] {
            {u("17968276318003433923"), 21325}, {u("4098594969649699419"), 17140}, {u("15733367461443853673"), 28084},
            {u("4509236223063678303"), 18217}, {u("2504464741100432583"), 24700}});
    }

    @Test
    void cuts32kChunksLikeTheReference() throws IOException {
        check(fixture(), new ChunkerParams(8192, 32768, 131072, 1), new long[][] {
            {u("15733367461443853673"), 66549}, {u("2504464741100432583"), 42917}});
    }

    @Test
    void cuts64kChunksLikeTheReference() throws IOException {
        check(fixture(), new ChunkerParams(16384, 65536, 262144, 1), new long[][] {{u("2504464741100432583"), 109466}});
    }

    @Test
    void cutsWithoutNormalizationLikeTheReference() throws IOException {
        check(fixture(), new ChunkerParams(4096, 16384, 65535, 0), new long[][] {
            {u("221561130519947581"), 6634}, {u("15733367461443853673"), 59915}, {u("10460176299449652894"), 25597},
            {u("6197802202431009942"), 5237}, {u("2504464741100432583"), 12083}});
    }

    @Test
    void cutsWithLevel3NormalizationLikeTheReference() throws IOException {
        check(fixture(), new ChunkerParams(4096, 16384, 65535, 3), new long[][] {
            {u("14582375164208481996"), 17350}, {u("13104072099671895560"), 19911}, {u("6161241554519610597"), 17426},
            {u("16009206469796846404"), 17519}, {u("10460176299449652894"), 19940}, {u("2504464741100432583"), 17320}});
    }
}
