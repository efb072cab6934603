package org.scratchgpt.curation.quality;

/**
 * The thresholds of the Gopher repetition rules (Rae et al. 2021, Table A1), with the paper's values as datatrove's
 * {@code GopherRepetitionFilter} sets them by default. {@code topNGramFractions[i]} is the limit for n = 2 + i (2..4),
 * {@code duplicateNGramFractions[i]} the limit for n = 5 + i (5..10). Each is a {@code data prepare} option.
 */
public record GopherRepetitionThresholds(
        double maxDuplicateLineFraction, double maxDuplicateParagraphFraction,
        double maxDuplicateLineCharFraction, double maxDuplicateParagraphCharFraction,
        double[] topNGramFractions, double[] duplicateNGramFractions) {

    public static final int FIRST_TOP_N = 2;
    public static final int FIRST_DUPLICATE_N = 5;

    public static GopherRepetitionThresholds defaults() {
        return new GopherRepetitionThresholds(0.3, 0.3, 0.2, 0.2,
                new double[] {0.20, 0.18, 0.16}, new double[] {0.15, 0.14, 0.13, 0.12, 0.11, 0.10});
    }
}
