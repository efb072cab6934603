package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.tokenizer.BpeTrainer;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt tokenizer train}: learns a byte-level BPE tokenizer (or builds a character-level
 * one) from a text file, says how well it compresses that text, and saves it as a tokenizer.json.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Learn a tokenizer from a UTF-8 text file and save it in HuggingFace's format.",
                "Byte-level BPE by default; --char builds a character-level tokenizer instead."})
final class TrainTokenizerCommand implements Callable<Integer> {
    /** The options that only a BPE tokenizer uses; --char refuses them rather than ignore them. */
    private static final List<String> BPE_OPTIONS =
            List.of("--vocab-size", "--min-frequency", "--special", "--no-special", "--pattern");

    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE", defaultValue = DefaultPaths.CORPUS,
            description = "The training text (default: ${DEFAULT-VALUE}).")
    Path input;

    @Option(names = "--vocab-size", paramLabel = "N|full", defaultValue = "1024",
            description = "Stop at N tokens: special tokens + 256 bytes + merges; full merges until no pair is"
                    + " left (default: ${DEFAULT-VALUE}).")
    String vocabSize;

    @Option(names = "--min-frequency", paramLabel = "N", defaultValue = "0",
            description = "Stop when the most frequent pair occurs fewer than N times (default: ${DEFAULT-VALUE}).")
    long minFrequency;

    @Option(names = "--special", paramLabel = "TOKEN", defaultValue = "<|endoftext|>",
            description = "A special token, given the first ids; repeat for more (default: ${DEFAULT-VALUE}).")
    List<String> specialTokens;

    @Option(names = "--no-special", description = "Train without special tokens.")
    boolean noSpecialTokens;

    @Option(names = "--pattern", paramLabel = "gpt2|gpt4", defaultValue = "gpt2",
            description = "The regex that cuts text into words before BPE (default: ${DEFAULT-VALUE}).")
    String pattern;

    @Option(names = "--char", description = "Build a character-level tokenizer: one token per character of the text.")
    boolean characterLevel;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = DefaultPaths.TOKENIZER,
            description = "Where to save the tokenizer (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Replace --output if it already exists.")
    boolean force;

    @Option(names = "--quiet", description = "Do not show the progress bar.")
    boolean quiet;

    /**
     * A tokenizer file may be what a trained model reads its ids with: replaced by a new one, the model would read
     * other ids without noticing. So an existing file is kept unless --force says otherwise.
     */
    private void refuseToReplace() {
        if (Files.exists(output) && !force) {
            throw new UserError(output + " already exists (a model trained with it needs exactly that file): give"
                    + " --output another file name, or pass --force to replace it");
        }
    }

    @Override
    public Integer call() throws IOException {
        // Settings and the output are checked before the text is read, so a typo fails at once, not after training.
        Function<String, Tokenizer> learner = characterLevel ? characterLearner() : bpeTrainer()::train;
        OutputPaths.requireWritableFile("the tokenizer", output, "give --output a file name, e.g. "
                + (Files.isDirectory(output) ? output.resolve("tokenizer.json") : DefaultPaths.TOKENIZER));
        // the text would be read, then replaced by the tokenizer: --force is for an old tokenizer, never the text
        OutputPaths.requireApart("--output " + output, output, "--input " + input, input, "give --output another"
                + " file, e.g. " + DefaultPaths.TOKENIZER);
        refuseToReplace();
        String text = CorpusText.readUtf8(input);
        long start = System.nanoTime();
        Tokenizer tokenizer = learner.apply(text);
        double seconds = (System.nanoTime() - start) / 1e9;
        TokenizerJson.save(tokenizer, output);
        printSummary(tokenizer, text, seconds);
        return 0;
    }

    private Function<String, Tokenizer> characterLearner() {
        for (String option : BPE_OPTIONS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UserError(option + " is a BPE setting, but --char builds a character-level tokenizer,"
                        + " whose vocabulary is simply the characters of the text: drop " + option + " or --char");
            }
        }
        return CharTokenizer::fromText;
    }

    private BpeTrainer bpeTrainer() {
        if (minFrequency < 0) {
            throw new UserError("--min-frequency " + minFrequency + " is negative: give 0 (no limit) or more");
        }
        PreTokenizer preTokenizer = PreTokenizer.of(splitPattern());
        return new BpeTrainer(vocabSizeLimit(), minFrequency, specialTokens(), preTokenizer, !quiet);
    }

    private int vocabSizeLimit() {
        if (vocabSize.equalsIgnoreCase("full")) {
            return BpeTrainer.FULL_VOCABULARY;
        }
        try {
            return Integer.parseInt(vocabSize.strip());
        } catch (NumberFormatException e) {
            // Digits that do not fit an int are a number all the same, only too large to be a vocabulary size.
            String problem = vocabSize.strip().matches("\\d+") ? " is too large: at most " + Integer.MAX_VALUE
                    : " is not a number";
            throw new UserError("--vocab-size " + vocabSize + problem + ": give a whole number such as 1024,"
                    + " or full to merge until no pair is left");
        }
    }

    private List<String> specialTokens() {
        if (!noSpecialTokens) {
            return specialTokens;
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--special")) {
            throw new UserError("--special and --no-special contradict each other: give one of them");
        }
        return List.of();
    }

    private SplitPattern splitPattern() {
        try {
            return SplitPattern.valueOf(pattern.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--pattern " + pattern + " is not a known split pattern: give gpt2 or gpt4");
        }
    }

    private void printSummary(Tokenizer tokenizer, String text, double seconds) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "trained a tokenizer (%s) on %s%n", TokenizerFacts.kind(tokenizer), input);
        out.printf(Locale.ROOT, "  vocabulary:  %,d tokens (%d special)%n", tokenizer.vocabSize(),
                tokenizer.specialTokens().size());
        out.printf(Locale.ROOT, "  merges:      %,d%n", TokenizerFacts.merges(tokenizer).size());
        out.printf(Locale.ROOT, "  time:        %.2f s%n", seconds);
        out.printf(Locale.ROOT, "  compression: %s (on the training text)%n", Compression.of(tokenizer, text));
        printShortfall(tokenizer, out);
        out.println("saved to " + output);
    }

    /** BPE stops early when the text runs out of pairs to merge; say so, or the smaller size looks like a bug. */
    private void printShortfall(Tokenizer tokenizer, PrintWriter out) {
        if (characterLevel) {
            return;
        }
        int asked = vocabSizeLimit();
        if (asked != BpeTrainer.FULL_VOCABULARY && tokenizer.vocabSize() < asked) {
            out.printf(Locale.ROOT, "  note:        fewer tokens than the %,d asked for: no pair left occurs at least"
                    + " %d times in the text%n", asked, Math.max(1, minFrequency));
        }
    }
}
