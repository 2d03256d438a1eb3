package dev.chunkmesh.cli.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Two versions of an uncompressed, layer-like file for the demo: a run of "files", some text, some
 * binary, of varied sizes. Version 2 edits a few of them (insertions, an overwrite, an append), as a
 * release that changes a little of a layer would.
 */
public final class DemoLayers {
    private DemoLayers() {
    }

    /** Writes version {@code version} (1 or 2) of the layer, about {@code size} bytes, to {@code file}. */
    static void write(Path file, long size, int version) throws IOException {
        SplittableRandom files = new SplittableRandom(7);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            long written = 0;
            int index = 0;
            while (written < size) {
                int length = 4096 + files.nextInt(2 << 20);
                boolean text = files.nextInt(3) > 0;
                long seed = files.nextLong();
                if (version == 2 && index % 17 == 5) {
                    seed ^= 1;
                }
                byte[] content = content(seed, length, text);
                if (version == 2 && index % 23 == 11) {
                    byte[] inserted = content(seed * 31, 10_000, true);
                    out.write(content, 0, length / 2);
                    out.write(inserted);
                    out.write(content, length / 2, length - length / 2);
                    written += inserted.length;
                } else {
                    out.write(content);
                }
                written += length;
                index++;
            }
            if (version == 2) {
                out.write(content(99, 1 << 20, false));
            }
        }
    }

    /** {@code length} bytes from {@code seed}: lines of words when {@code text}, else random bytes. */
    public static byte[] content(long seed, int length, boolean text) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[length];
        if (text) {
            String words = "registry layer blob digest manifest config mesh chunk node origin pop hub tar file etc usr lib bin ";
            int line = 0;
            for (int i = 0; i < length; i++) {
                b[i] = (byte) (line++ > 60 + r.nextInt(20) ? '\n' : words.charAt(r.nextInt(words.length())));
                if (b[i] == '\n') {
                    line = 0;
                }
            }
        } else {
            r.nextBytes(b);
        }
        return b;
    }
}
