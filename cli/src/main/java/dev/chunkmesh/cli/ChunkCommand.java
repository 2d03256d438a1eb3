package dev.chunkmesh.cli;

import dev.chunkmesh.store.Digest;
import dev.chunkmesh.store.chunker.StreamChunker;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mesh chunk FILE}: one line per content-defined chunk, and nothing else on stdout. */
@Command(name = "chunk", mixinStandardHelpOptions = true,
        description = "Print the content-defined chunks of FILE, one per line: <offset> <length> sha256:<hex>.")
final class ChunkCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to chunk.")
    Path file;

    @Mixin
    ChunkerOptions chunker;

    @Override
    public Integer call() throws IOException {
        StreamChunker streamChunker = new StreamChunker(chunker.params());
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            streamChunker.chunk(in, (offset, buf, start, length) ->
                    out.append(Long.toString(offset)).append(' ').append(Integer.toString(length)).append(' ')
                            .append(Digest.sha256(buf, start, length).toString()).append('\n'));
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file, e);
        }
        out.flush();
        return 0;
    }
}
