package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * The help of every command, walked from {@code scratchgpt} down: no value shown as a placeholder picocli made up
 * ({@code <arg0>}, {@code <maxTokens>}), and descriptions made of whole sentences. Picocli starts a new line at
 * each element of a description array, and {@code scratchgpt --help} lists only the first element of each
 * sub-command's, so an element that stops mid-sentence shows as a hard line break, or as a summary cut short.
 */
class UsageTextTest {

    @Test
    void everyCommandWasWalked() {
        List<String> names = allCommands().stream().map(CommandLine::getCommandName).toList();
        for (String expected : List.of("scratchgpt", "data", "fetch", "tokenizer", "encode", "train", "plan", "sample",
                "bench", "devices")) {
            assertFalse(!names.contains(expected), expected + " missing from " + names);
        }
    }

    @Test
    void noUsageTextShowsAMadeUpPlaceholder() {
        List<String> offenders = new ArrayList<>();
        for (CommandLine cli : allCommands()) {
            if (cli.getUsageMessage().contains("<arg")) {
                offenders.add(path(cli) + ": <arg...> in its usage text");
            }
            for (ArgSpec arg : valueTakingArgs(cli.getCommandSpec())) {
                if (arg.paramLabel().startsWith("<")) {
                    offenders.add(path(cli) + " " + name(arg) + ": no paramLabel, shown as " + arg.paramLabel());
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyDescriptionLineEndsASentence() {
        List<String> offenders = new ArrayList<>();
        for (CommandLine cli : allCommands()) {
            CommandSpec spec = cli.getCommandSpec();
            String[] summary = spec.usageMessage().description();
            if (summary.length == 0) {
                offenders.add(path(cli) + ": no description, so no summary in its parent's list");
            }
            for (String line : summary) {
                requireSentence(path(cli), line, offenders);
            }
            for (ArgSpec arg : spec.args()) {
                for (String line : arg.description()) {
                    requireSentence(path(cli) + " " + name(arg), line, offenders);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static void requireSentence(String where, String line, List<String> offenders) {
        String text = line.strip().replaceAll("(%n)+$", ""); // picocli's own help command ends its lines with %n
        if (!(text.endsWith(".") || text.endsWith("?") || text.endsWith("!"))) {
            offenders.add(where + ": '" + text + "' does not end a sentence");
        }
    }

    private static List<ArgSpec> valueTakingArgs(CommandSpec spec) {
        return spec.args().stream().filter(arg -> arg.arity().max() > 0).toList();
    }

    private static String name(ArgSpec arg) {
        return arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
    }

    private static String path(CommandLine cli) {
        return cli.getCommandSpec().qualifiedName();
    }

    private static List<CommandLine> allCommands() {
        return withSubcommands(ScratchGpt.commandLine()).toList();
    }

    private static Stream<CommandLine> withSubcommands(CommandLine cli) {
        return Stream.concat(Stream.of(cli), cli.getSubcommands().values().stream()
                .flatMap(UsageTextTest::withSubcommands));
    }
}
