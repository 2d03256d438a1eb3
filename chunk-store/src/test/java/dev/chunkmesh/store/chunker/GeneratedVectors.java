package dev.chunkmesh.store.chunker;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cut points that fastcdc-rs 4.0.1 ({@code v2016::FastCDC::with_level}) produced for generated inputs,
 * read from {@code fastcdc/v2016-generated.txt}. Each case names its generator, so the input is rebuilt
 * here rather than stored.
 */
record GeneratedVectors(int number, long seed, int n, ChunkerParams params, String transform, String inputSha256,
                        List<long[]> chunks) {

    static List<GeneratedVectors> load() throws IOException {
        List<GeneratedVectors> out = new ArrayList<>();
        try (InputStream in = GeneratedVectors.class.getResourceAsStream("/fastcdc/v2016-generated.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            Map<String, String> head = null;
            String sha = null;
            List<long[]> chunks = null;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("case ")) {
                    head = new HashMap<>();
                    String[] parts = line.split(" ");
                    head.put("case", parts[1]);
                    for (int i = 2; i < parts.length; i++) {
                        String[] kv = parts[i].split("=");
                        head.put(kv[0], kv[1]);
                    }
                    chunks = new ArrayList<>();
                } else if (line.startsWith("input-sha256 ")) {
                    sha = line.substring("input-sha256 ".length());
                } else if (line.equals("end")) {
                    ChunkerParams p = new ChunkerParams(Integer.parseInt(head.get("min")), Integer.parseInt(head.get("avg")),
                            Integer.parseInt(head.get("max")), Integer.parseInt(head.get("level")));
                    out.add(new GeneratedVectors(Integer.parseInt(head.get("case")), Long.parseLong(head.get("seed")),
                            Integer.parseInt(head.get("n")), p, head.get("transform"), sha, chunks));
                } else if (!line.isBlank()) {
                    String[] f = line.split(" ");
                    chunks.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseUnsignedLong(f[2])});
                }
            }
        }
        return out;
    }

    byte[] input() {
        byte[] data;
        switch (transform) {
            case "none" -> data = TestData.splitMix(seed, n);
            case "and3" -> {
                data = TestData.splitMix(seed, n);
                for (int i = 0; i < data.length; i++) {
                    data[i] &= 0x03;
                }
            }
            case "zeros" -> data = new byte[n];
            default -> throw new IllegalStateException("unknown transform " + transform);
        }
        String actual = Digest.sha256(data).hex();
        if (!actual.equals(inputSha256)) {
            throw new IllegalStateException("case " + number + ": generated input hashes to " + actual
                    + ", the vectors were made from " + inputSha256);
        }
        return data;
    }

    @Override
    public String toString() {
        return "case " + number + " (" + params + ", " + transform + ")";
    }
}
