package dev.chunkmesh.cli;

import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.chunker.ChunkerParams;
import picocli.CommandLine.Option;

/** The chunker's parameters as command-line options, shared by every command that chunks. */
public final class ChunkerOptions {
    @Option(names = "--min", paramLabel = "SIZE", description = "Minimum chunk size (default: 16KiB).")
    ByteSize min = new ByteSize(ChunkerParams.DEFAULTS.minSize());

    @Option(names = "--avg", paramLabel = "SIZE", description = "Average chunk size (default: 64KiB).")
    ByteSize avg = new ByteSize(ChunkerParams.DEFAULTS.avgSize());

    @Option(names = "--max", paramLabel = "SIZE", description = "Maximum chunk size (default: 256KiB).")
    ByteSize max = new ByteSize(ChunkerParams.DEFAULTS.maxSize());

    @Option(names = "--level", paramLabel = "0-3", description = "Normalization level (default: 2).")
    int level = ChunkerParams.DEFAULTS.normalization();

    /** The parameters as given; throws IllegalArgumentException when they are out of range or min <= avg <= max fails. */
    public ChunkerParams params() {
        return new ChunkerParams(min.asInt("--min"), avg.asInt("--avg"), max.asInt("--max"), level);
    }
}
