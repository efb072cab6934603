package org.scratchgpt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchgpt export}: a checkpoint written out for other tools. One sub-command per format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint in another tool's format.",
        subcommands = {ExportHfCommand.class, ExportDjlCommand.class})
public final class ExportCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
