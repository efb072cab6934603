package org.scratchgpt.curation.quality;

import java.util.Set;

/**
 * The thresholds of the Gopher quality rules (Rae et al. 2021, Appendix A.1.1), with the paper's values as
 * datatrove's {@code GopherQualityFilter} sets them by default. Each is a {@code data prepare} option.
 */
public record GopherQualityThresholds(
        int minWords, int maxWords,
        double minMeanWordLength, double maxMeanWordLength,
        double maxSymbolToWordRatio,
        double maxBulletLinesRatio, double maxEllipsisLinesRatio,
        double minAlphabeticWordsRatio,
        int minStopWords) {

    /** The paper's "stop words": a document of real English prose has at least two of them. */
    public static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");

    public static GopherQualityThresholds defaults() {
        return new GopherQualityThresholds(50, 100_000, 3, 10, 0.1, 0.9, 0.3, 0.8, 2);
    }
}
