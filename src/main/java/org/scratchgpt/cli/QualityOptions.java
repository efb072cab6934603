package org.scratchgpt.cli;

import java.util.Arrays;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.quality.GopherQualityThresholds;
import org.scratchgpt.curation.quality.GopherRepetitionThresholds;
import picocli.CommandLine.Option;

/** The thresholds of {@code data prepare}'s Gopher rules, each an option whose default is the paper's value. */
final class QualityOptions {
    private static final GopherRepetitionThresholds R = GopherRepetitionThresholds.defaults();

    @Option(names = "--no-quality", description = "Skip the Gopher quality and repetition rules.")
    boolean off;

    @Option(names = "--min-words", paramLabel = "N", defaultValue = "50",
            description = "Fewer words than this: removed (default: ${DEFAULT-VALUE}).")
    int minWords;

    @Option(names = "--max-words", paramLabel = "N", defaultValue = "100000",
            description = "More words than this: removed (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--min-mean-word-length", paramLabel = "X", defaultValue = "3",
            description = "A shorter mean word length: removed (default: ${DEFAULT-VALUE}).")
    double minMeanWordLength;

    @Option(names = "--max-mean-word-length", paramLabel = "X", defaultValue = "10",
            description = "A longer mean word length: removed (default: ${DEFAULT-VALUE}).")
    double maxMeanWordLength;

    @Option(names = "--max-symbol-word-ratio", paramLabel = "X", defaultValue = "0.1",
            description = "Most # or ... per word (default: ${DEFAULT-VALUE}).")
    double maxSymbolWordRatio;

    @Option(names = "--max-bullet-lines", paramLabel = "FRACTION", defaultValue = "0.9",
            description = "Most lines starting with a bullet (default: ${DEFAULT-VALUE}).")
    double maxBulletLines;

    @Option(names = "--max-ellipsis-lines", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "Most lines ending with an ellipsis (default: ${DEFAULT-VALUE}).")
    double maxEllipsisLines;

    @Option(names = "--min-alphabetic-words", paramLabel = "FRACTION", defaultValue = "0.8",
            description = "Fewest words with a letter (default: ${DEFAULT-VALUE}).")
    double minAlphabeticWords;

    @Option(names = "--min-stop-words", paramLabel = "N", defaultValue = "2",
            description = "Fewest of: the, be, to, of, and, that, have, with (default: ${DEFAULT-VALUE}).")
    int minStopWords;

    @Option(names = "--max-dup-line-fraction", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "Most lines repeating an earlier one (default: ${DEFAULT-VALUE}).")
    double maxDupLines;

    @Option(names = "--max-dup-paragraph-fraction", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "Most paragraphs repeating an earlier one (default: ${DEFAULT-VALUE}).")
    double maxDupParagraphs;

    @Option(names = "--max-dup-line-chars", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Most characters in repeated lines (default: ${DEFAULT-VALUE}).")
    double maxDupLineChars;

    @Option(names = "--max-dup-paragraph-chars", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Most characters in repeated paragraphs (default: ${DEFAULT-VALUE}).")
    double maxDupParagraphChars;

    @Option(names = "--max-top-ngram-chars", paramLabel = "F2,F3,F4", split = ",", defaultValue = "0.20,0.18,0.16",
            description = "Most characters in the top 2-, 3-, 4-gram (default: ${DEFAULT-VALUE}).")
    double[] maxTopNGramChars;

    @Option(names = "--max-dup-ngram-chars", paramLabel = "F5,...,F10", split = ",",
            defaultValue = "0.15,0.14,0.13,0.12,0.11,0.10",
            description = "Most characters in repeated 5- to 10-grams (default: ${DEFAULT-VALUE}).")
    double[] maxDupNGramChars;

    GopherQualityThresholds quality() {
        requireFraction("--max-bullet-lines", maxBulletLines);
        requireFraction("--max-ellipsis-lines", maxEllipsisLines);
        requireFraction("--min-alphabetic-words", minAlphabeticWords);
        return new GopherQualityThresholds(minWords, maxWords, minMeanWordLength, maxMeanWordLength,
                maxSymbolWordRatio, maxBulletLines, maxEllipsisLines, minAlphabeticWords, minStopWords);
    }

    GopherRepetitionThresholds repetition() {
        requireFraction("--max-dup-line-fraction", maxDupLines);
        requireFraction("--max-dup-paragraph-fraction", maxDupParagraphs);
        requireFraction("--max-dup-line-chars", maxDupLineChars);
        requireFraction("--max-dup-paragraph-chars", maxDupParagraphChars);
        requireCount("--max-top-ngram-chars", maxTopNGramChars, R.topNGramFractions().length);
        requireCount("--max-dup-ngram-chars", maxDupNGramChars, R.duplicateNGramFractions().length);
        return new GopherRepetitionThresholds(maxDupLines, maxDupParagraphs, maxDupLineChars, maxDupParagraphChars,
                maxTopNGramChars, maxDupNGramChars);
    }

    private static void requireFraction(String option, double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new UserError(option + " " + f + " is no fraction: give a number from 0 to 1");
        }
    }

    private static void requireCount(String option, double[] values, int count) {
        if (values.length != count) {
            throw new UserError(option + " " + Arrays.toString(values) + " has " + values.length + " values: give "
                    + count + ", separated by commas");
        }
        for (double f : values) {
            requireFraction(option, f);
        }
    }
}
