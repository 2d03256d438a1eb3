package dev.chunkmesh.store.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FastCdcTest {

    static Stream<GeneratedVectors> generatedCases() throws IOException {
        return GeneratedVectors.load().stream();
    }

    @ParameterizedTest
    @MethodSource("generatedCases")
    void cutsWhereFastcdcRsCuts(GeneratedVectors v) {
        byte[] data = v.input();
        FastCdc cdc = new FastCdc(v.params());
        List<long[]> actual = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            FastCdc.Cut cut = cdc.cut(data, pos, data.length - pos);
            actual.add(new long[] {pos, cut.length(), cut.hash()});
            pos += cut.length();
        }
        assertEquals(v.chunks().size(), actual.size(), v + ": chunk count");
        for (int i = 0; i < actual.size(); i++) {
            long[] e = v.chunks().get(i);
            long[] a = actual.get(i);
            assertEquals(e[0], a[0], v + ": offset of chunk " + i);
            assertEquals(e[1], a[1], v + ": length of chunk " + i);
            assertEquals(e[2], a[2], v + ": gear hash of chunk " + i);
        }
    }

    @Test
    void derivesTheReferenceGearTableFromMd5() {
        assertEquals(0x3b5d3c7d207e37dcL, FastCdc.GEAR[0]);
        assertEquals(0x784d68ba91123086L, FastCdc.GEAR[1]);
        assertEquals(0xaabd2b2a451504e1L, FastCdc.GEAR[255]);
    }

    @Test
    void cutsAllZerosIntoMaximumChunksWithThePublishedHash() {
        // fastcdc-rs v2016 test_cut_all_zeros: FastCDC::new(&[0; 10240], 64, 256, 1024) at level 1.
        byte[] zeros = new byte[10240];
        FastCdc cdc = new FastCdc(new ChunkerParams(64, 256, 1024, 1));
        int pos = 0;
        for (int i = 0; i < 10; i++) {
            FastCdc.Cut cut = cdc.cut(zeros, pos, zeros.length - pos);
            assertEquals(1024, cut.length());
            assertEquals(Long.parseUnsignedLong("14169102344523991076"), cut.hash());
            pos += cut.length();
        }
        assertEquals(zeros.length, pos);
    }

    @Test
    void picksMasksByRoundedLog2OfTheAverage() {
        // fastcdc-rs v2016 test_masks (normalization level 1).
        assertMasks(new ChunkerParams(64, 256, 1024, 1), 9, 7);
        assertMasks(new ChunkerParams(8192, 16384, 32768, 1), 15, 13);
        assertMasks(new ChunkerParams(1_048_576, 4_194_304, 16_777_216, 1), 23, 21);
        assertMasks(ChunkerParams.DEFAULTS, 18, 14);
        assertEquals(11, FastCdc.log2Rounded(1500));
        assertEquals(14, FastCdc.log2Rounded(12288));
        assertEquals(10, FastCdc.log2Rounded(1100));
    }

    private static void assertMasks(ChunkerParams p, int small, int large) {
        FastCdc cdc = new FastCdc(p);
        assertEquals(FastCdc.MASKS[small], cdc.maskS());
        assertEquals(FastCdc.MASKS[large], cdc.maskL());
    }

    @Test
    void returnsTheWholeWindowWhenItIsNoLongerThanTheMinimum() {
        FastCdc cdc = new FastCdc(ChunkerParams.DEFAULTS);
        byte[] small = new byte[100];
        assertEquals(100, cdc.cut(small, 0, 100).length());
        assertEquals(1, cdc.cut(small, 50, 1).length());
    }

    @Test
    void refusesSizesOutsideTheReferenceBounds() {
        assertMessage(() -> new ChunkerParams(63, 256, 1024, 2), "min chunk size must be between 64");
        assertMessage(() -> new ChunkerParams(64, 255, 1024, 2), "avg chunk size must be between 256");
        assertMessage(() -> new ChunkerParams(64, 256, 1023, 2), "max chunk size must be between 1024");
        assertMessage(() -> new ChunkerParams(64, 256, 16_777_217, 2), "max chunk size");
        assertMessage(() -> new ChunkerParams(4096, 2048, 8192, 2), "min <= avg <= max");
        assertMessage(() -> new ChunkerParams(64, 256, 1024, 4), "normalization level");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
