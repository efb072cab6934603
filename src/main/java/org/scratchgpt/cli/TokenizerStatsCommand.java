package org.scratchgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.tokenizer.ByteLevel;
import org.scratchgpt.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchgpt tokenizer stats}: what a tokenizer holds (size, merges, special tokens), how well it
 * compresses a text, its longest tokens and its first merges, which show what BPE found most common.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show a tokenizer's size, special tokens, compression, longest tokens and first merges.")
final class TokenizerStatsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TokenizerFileOption tokenizerFile;

    @Option(names = "--text-file", paramLabel = "FILE",
            description = "Measure bytes per token on this UTF-8 text (default: " + DefaultPaths.CORPUS
                    + ", when it is there).")
    Path textFile;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many longest tokens and first merges to list (default: ${DEFAULT-VALUE}).")
    int top;

    /** A token id with its length in bytes, for ranking tokens by length. */
    private record Sized(int id, int bytes) {}

    @Override
    public Integer call() throws IOException {
        if (top < 0) {
            throw new UserError("--top " + top + " is negative: give how many tokens and merges to list, e.g. 10");
        }
        Tokenizer tokenizer = tokenizerFile.load();
        printOverview(tokenizer);
        printCompression(tokenizer);
        printLongestTokens(tokenizer);
        printFirstMerges(tokenizer);
        return 0;
    }

    private void printOverview(Tokenizer tokenizer) {
        out().println("tokenizer " + tokenizerFile.file + " (" + TokenizerFacts.kind(tokenizer) + ")");
        out().printf(Locale.ROOT, "  vocabulary:     %,d tokens%n", tokenizer.vocabSize());
        out().printf(Locale.ROOT, "  merges:         %,d%n", TokenizerFacts.merges(tokenizer).size());
        out().println("  special tokens: " + describeSpecialTokens(tokenizer.specialTokens()));
    }

    private static String describeSpecialTokens(Map<String, Integer> specials) {
        if (specials.isEmpty()) {
            return "none";
        }
        return specials.entrySet().stream()
                .map(e -> ReadableText.escape(e.getKey()) + " (id " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    private void printCompression(Tokenizer tokenizer) throws IOException {
        Path file = textFile;
        if (file == null) {
            file = Path.of(DefaultPaths.CORPUS);
            if (!Files.exists(file)) {
                // The default is only a convenience: without the corpus the other sections still make sense.
                out().println("  compression:    skipped: " + file + " is not here (fetch it with `./scratchgpt data"
                        + " fetch tinyshakespeare`, or give --text-file)");
                return;
            }
        }
        Compression compression = Compression.of(tokenizer, CorpusText.readUtf8(file));
        out().println("  compression:    " + compression + " on " + file);
    }

    private void printLongestTokens(Tokenizer tokenizer) {
        List<Sized> longest = TokenizerFacts.ordinaryIds(tokenizer)
                .mapToObj(id -> new Sized(id, tokenizer.decodeBytes(new int[] {id}).length))
                .sorted(Comparator.comparingInt(Sized::bytes).reversed().thenComparingInt(Sized::id))
                .limit(top)
                .toList();
        out().printf("%nlongest tokens (by bytes, special tokens left out):%n");
        out().printf("  %8s  %5s  %s%n", "ID", "BYTES", "TEXT");
        for (Sized token : longest) {
            out().printf("  %8d  %5d  %s%n", token.id(), token.bytes(),
                    ReadableText.quoted(tokenizer.decodeBytes(new int[] {token.id()})));
        }
    }

    private void printFirstMerges(Tokenizer tokenizer) {
        List<String[]> merges = TokenizerFacts.merges(tokenizer);
        if (merges.isEmpty()) {
            out().printf("%nmerges: none%n");
            return;
        }
        out().printf(Locale.ROOT, "%nfirst merges (of %,d), in the order they were learned:%n", merges.size());
        out().printf("  %8s  %-24s  %s%n", "RANK", "LEFT + RIGHT", "MERGED TEXT");
        for (int rank = 0; rank < Math.min(top, merges.size()); rank++) {
            String[] pair = merges.get(rank);
            String visible = ReadableText.escape(pair[0]) + " + " + ReadableText.escape(pair[1]);
            out().printf("  %8d  %-24s  %s%n", rank, visible,
                    ReadableText.quoted(ByteLevel.fromVisible(pair[0] + pair[1])));
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
