package org.scratchgpt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchgpt lora}: what is done with LoRA adapters once trained ({@code finetune --lora} trains them). */
@Command(name = "lora", mixinStandardHelpOptions = true,
        description = "Work with the LoRA adapters that `scratchgpt finetune --lora RANK` trains.",
        subcommands = {LoraMergeCommand.class})
public final class LoraCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
