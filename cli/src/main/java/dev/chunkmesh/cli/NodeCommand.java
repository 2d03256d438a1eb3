package dev.chunkmesh.cli;

import picocli.CommandLine.Command;

/** {@code mesh node ...}: run a node. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a mesh node.", subcommands = {NodeRunCommand.class})
final class NodeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
