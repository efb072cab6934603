package org.scratchgpt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt tokenizer}: train a tokenizer, then use it to turn text into token ids and back,
 * and look inside it. Each sub-command is a class of its own.
 */
@Command(
    name = "tokenizer",
    mixinStandardHelpOptions = true,
    description = "Train a tokenizer; encode, decode and inspect with it.",
    subcommands = {
        TrainTokenizerCommand.class,
        EncodeCommand.class,
        DecodeCommand.class,
        TokenizerStatsCommand.class})
public final class TokenizerCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
