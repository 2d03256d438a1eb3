package dev.chunkmesh.cli;

import dev.chunkmesh.cli.bench.BenchCommand;
import dev.chunkmesh.cli.demo.DemoCommand;
import dev.chunkmesh.store.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./mesh} command line: every user-facing command is a subcommand of this one. */
@Command(name = "mesh", mixinStandardHelpOptions = true, version = "chunk mesh 0.1.0",
        description = "A peer-to-peer distribution mesh for container images and other large immutable blobs.",
        subcommands = {DemoCommand.class, NodeCommand.class, PullCommand.class, PrefetchCommand.class, StatusCommand.class,
                SimCommand.class, CaCommand.class, ContainerdHostsCommand.class, ChunkCommand.class, CatalogCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class MeshCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Builds the command line with the mesh's converters and error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MeshCommand());
        cl.registerConverter(ByteSize.class, ByteSize::parse);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("mesh " + line.getCommandName() + ": " + describe(ex));
            return 1;
        });
        return cl;
    }

    /** Our notices at INFO, libraries at WARNING, unless the user set java.util.logging.config.file. */
    private static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = MeshCommand.class.getResourceAsStream("/mesh-logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("mesh: could not read the logging settings: " + e.getMessage());
        }
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null ? ex.toString() : message;
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(commandLine().execute(args));
    }
}
