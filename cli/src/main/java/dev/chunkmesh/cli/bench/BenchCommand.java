package dev.chunkmesh.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mesh bench ...}: commands that measure and print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the mesh's components and print figures.",
        subcommands = {ChunkBench.class, StoreIndexBench.class, ServeBench.class, PullBench.class, LoadBench.class, NodeMemoryBench.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
