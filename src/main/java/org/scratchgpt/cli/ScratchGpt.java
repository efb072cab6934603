package org.scratchgpt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code scratchgpt} command line: one program, a sub-command per stage of the pipeline. */
@Command(
    name = "scratchgpt",
    mixinStandardHelpOptions = true,
    version = "ScratchGPT 0.1.0",
    description = "Build, train and sample a GPT from its parts, in Java on DJL + PyTorch.",
    subcommands = {DataCommand.class, TokenizerCommand.class, TrainCommand.class, PlanCommand.class, SampleCommand.class,
        ChatCommand.class, FinetuneCommand.class, LoraCommand.class, AttentionCommand.class, ImportCommand.class,
        ExportCommand.class,
        BenchCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class ScratchGpt implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also print what a user needs only when something is off: the device --device auto picked,"
                    + " debug lines, and the libraries' information (DJL, libtorch).")
    void verbose(boolean verbose) {
        Verbose.set(verbose);
    }

    public static void main(String[] args) {
        StandardOutput.install();
        int exitCode;
        try {
            exitCode = commandLine().execute(args);
        } catch (StandardOutput.ReaderLeft e) {
            exitCode = StandardOutput.EXIT_CODE; // e.g. while printing --help, outside any command
        }
        // The reader of standard output left: stop quietly, whatever the command made of the failed write.
        System.exit(StandardOutput.readerLeft() ? StandardOutput.EXIT_CODE : exitCode);
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        Verbose.set(false); // until the command line says --verbose
        CommandLine cli = new CommandLine(new ScratchGpt());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        cli.setExecutionStrategy(FriendlyErrors.passingOutOfMemoryErrors(cli.getExecutionStrategy()));
        shareVersion(cli, cli.getCommandSpec().version());
        return cli;
    }

    /** Every sub-command answers -V/--version with the program's version, not with nothing. */
    private static void shareVersion(CommandLine cli, String[] version) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().version(version);
            shareVersion(sub, version);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
