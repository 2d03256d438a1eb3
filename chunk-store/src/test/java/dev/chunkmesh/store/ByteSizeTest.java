package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void readsPlainBytesAndBinaryAndDecimalUnits() {
        assertEquals(65536, ByteSize.parse("65536").bytes());
        assertEquals(65536, ByteSize.parse("64KiB").bytes());
        assertEquals(65536, ByteSize.parse("64k").bytes());
        assertEquals(3L << 29, ByteSize.parse("1.5GiB").bytes());
        assertEquals(2_000_000, ByteSize.parse("2MB").bytes());
        assertEquals(1L << 40, ByteSize.parse("1 TiB").bytes());
    }

    @Test
    void refusesWhatIsNotASize() {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("KiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("12 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-5"));
    }

    @Test
    void printsSizesForPeople() {
        assertEquals("512 B", ByteSize.human(512));
        assertEquals("64.0 KiB", ByteSize.human(65536));
        assertEquals("1.5 GiB", ByteSize.human(3L << 29));
    }
}
