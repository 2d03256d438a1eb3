package dev.chunkmesh.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DigestTest {

    private static final String ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesBytesAsSha256() {
        assertEquals(ABC, Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void parsesItsOwnTextForm() {
        Digest d = Digest.parse(ABC);
        assertEquals(ABC, d.toString());
        assertEquals(d, Digest.ofBytes(d.bytes()));
        assertEquals("sha256:ba7816bf8f01", d.shortForm());
    }

    @Test
    void ordersLikeItsHex() {
        Digest low = Digest.parse("sha256:" + "0".repeat(63) + "1");
        Digest high = Digest.parse("sha256:f" + "0".repeat(63));
        assertTrue(low.compareTo(high) < 0);
        assertTrue(high.compareTo(low) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag",
        "sha256: a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha256:../../etc/passwd",
    })
    void refusesAnythingButLowercaseSha256Hex(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(text));
        assertTrue(e.getMessage().contains("digest") || e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void namesTheOffendingCharacter() {
        String bad = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aZ";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad));
        assertTrue(e.getMessage().contains("'Z' at position 70"), e.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
    }

    @Test
    void wrapsExactly32Bytes() {
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xab;
        raw[31] = 0x01;
        assertArrayEquals(raw, Digest.ofBytes(raw).bytes());
        assertThrows(IllegalArgumentException.class, () -> Digest.ofBytes(new byte[31]));
    }
}
