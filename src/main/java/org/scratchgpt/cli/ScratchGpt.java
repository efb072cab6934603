package org.scratchgpt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scratchgpt} command line: one program, a sub-command per stage of the pipeline. */
@Command(
    name = "scratchgpt",
    mixinStandardHelpOptions = true,
    version = "ScratchGPT 0.1.0",
    description = "Build, train and sample a GPT from its parts, in Java on DJL + PyTorch.",
    subcommands = {CommandLine.HelpCommand.class, DataCommand.class, TokenizerCommand.class})
public final class ScratchGpt implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ScratchGpt());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
