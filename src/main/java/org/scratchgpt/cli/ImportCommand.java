package org.scratchgpt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchgpt import}: models trained elsewhere become ScratchGPT checkpoints. One sub-command per family. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turn a published model into a ScratchGPT checkpoint.",
        subcommands = {ImportGpt2Command.class})
public final class ImportCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
