package dev.chunkmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mesh catalog ...}: keys, verification and deltas of signed release catalogs. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Signed release catalogs: keys, verification, deltas.",
        subcommands = {CatalogKeygenCommand.class, CatalogPublishCommand.class, CatalogVerifyCommand.class, CatalogDiffCommand.class})
final class CatalogCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
