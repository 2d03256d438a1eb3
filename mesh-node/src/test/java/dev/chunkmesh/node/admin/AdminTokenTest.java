package dev.chunkmesh.node.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    static final String TOKEN = "0123456789abcdef-token";

    @TempDir
    Path dir;

    @Test
    void aBearerHeaderWithTheTokenMatchesAndNothingElseDoes() {
        AdminToken t = new AdminToken(TOKEN);
        assertTrue(t.matches("Bearer " + TOKEN));
        assertTrue(t.matches("BEARER " + TOKEN), "the scheme is case-insensitive");
        for (String other : new String[] {null, "", "Bearer", "Bearer ", TOKEN, "Basic " + TOKEN, "Bearer " + TOKEN + " ",
                "Bearer  " + TOKEN, "Bearer " + TOKEN.toUpperCase(), "Bearer " + TOKEN.substring(1)}) {
            assertFalse(t.matches(other), "refused: " + other);
        }
    }

    @Test
    void theFileIsTrimmedAndAShortEmptyOrSpacedTokenIsRefused() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "\n " + TOKEN + " \r\n");
        assertEquals(new AdminToken(TOKEN), AdminToken.read(f));
        for (String bad : new String[] {"", "  \n", "fifteen-chars-x", "with a space inside-0123456789", "tab\tinside-0123456789"}) {
            Files.writeString(f, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminToken.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        }
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertFalse(new AdminToken(TOKEN).toString().contains(TOKEN));
    }
}
