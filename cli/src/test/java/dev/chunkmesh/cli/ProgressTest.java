package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void withoutATerminalProgressIsWholeLinesWithoutCarriageReturnsAndEndsWithTheFinalState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress.PlainLines lines = new Progress.PlainLines(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60_000);
        lines.accept("\rsim 10% [=   ] 100/1000");
        lines.accept("\rsim 50% [==  ] 500/1000");
        lines.accept("\rsim 100% [====] 1000/1000");
        lines.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        assertEquals("sim 10% [=   ] 100/1000\nsim 100% [====] 1000/1000\n", out.replace(System.lineSeparator(), "\n"),
                "the first line at once, then nothing until the interval passes, then the end");
    }
}
