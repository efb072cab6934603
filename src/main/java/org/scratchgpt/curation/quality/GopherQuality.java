package org.scratchgpt.curation.quality;

import java.util.List;
import java.util.Locale;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * The Gopher quality rules: simple statistics that tell prose from what is not (menus, tables of numbers, lists of
 * links, keyword spam, code dumps). The rules are checked in the paper's order and the first that fails names the
 * removal, as in datatrove: {@code gopher_short_doc}, {@code gopher_long_doc}, {@code gopher_below_avg_threshold},
 * {@code gopher_above_avg_threshold}, {@code gopher_too_many_hashes}, {@code gopher_too_many_ellipsis},
 * {@code gopher_too_many_bullets}, {@code gopher_too_many_end_ellipsis}, {@code gopher_below_alpha_threshold},
 * {@code gopher_enough_stop_words}.
 */
public final class GopherQuality implements DocumentStage {
    private final GopherQualityThresholds limits;

    public GopherQuality(GopherQualityThresholds limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public Verdict apply(Document document) {
        String rule = failedRule(document.text());
        return rule == null ? Verdict.keep(document) : Verdict.remove(document, rule);
    }

    /** The first rule {@code text} fails, or null when it passes them all. */
    String failedRule(String text) {
        List<String> words = Words.of(text);
        List<String> realWords = words.stream().filter(w -> !Words.isSymbolOnly(w)).toList();
        if (realWords.size() < limits.minWords()) {
            return "gopher_short_doc";
        }
        if (realWords.size() > limits.maxWords()) {
            return "gopher_long_doc";
        }
        double meanLength = realWords.stream().mapToInt(String::length).average().orElse(0);
        if (meanLength < limits.minMeanWordLength()) {
            return "gopher_below_avg_threshold";
        }
        if (meanLength > limits.maxMeanWordLength()) {
            return "gopher_above_avg_threshold";
        }
        // Hashes and ellipses per word: tag clouds ("#tag #tag") and truncated teasers ("Read more...").
        if (occurrences(text, "#") / (double) words.size() > limits.maxSymbolToWordRatio()) {
            return "gopher_too_many_hashes";
        }
        if ((occurrences(text, "...") + occurrences(text, "\u2026")) / (double) words.size()
                > limits.maxSymbolToWordRatio()) {
            return "gopher_too_many_ellipsis";
        }
        return lineOrWordRule(text, words);
    }

    private String lineOrWordRule(String text, List<String> words) {
        String[] lines = text.split("\n", -1);
        long bullets = java.util.Arrays.stream(lines).map(String::stripLeading)
                .filter(l -> l.startsWith("\u2022") || l.startsWith("-")).count();
        if (bullets / (double) lines.length > limits.maxBulletLinesRatio()) {
            return "gopher_too_many_bullets";
        }
        long endEllipsis = java.util.Arrays.stream(lines).map(String::stripTrailing)
                .filter(l -> l.endsWith("...") || l.endsWith("\u2026")).count();
        if (endEllipsis / (double) lines.length > limits.maxEllipsisLinesRatio()) {
            return "gopher_too_many_end_ellipsis";
        }
        long alphabetic = words.stream().filter(Words::hasLetter).count();
        if (alphabetic / (double) words.size() < limits.minAlphabeticWordsRatio()) {
            return "gopher_below_alpha_threshold";
        }
        long stopWords = words.stream()
                .filter(w -> GopherQualityThresholds.STOP_WORDS.contains(w.toLowerCase(Locale.ROOT))).count();
        if (stopWords < limits.minStopWords()) {
            return "gopher_enough_stop_words";
        }
        return null;
    }

    private static int occurrences(String text, String piece) {
        int count = 0;
        for (int at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + piece.length())) {
            count++;
        }
        return count;
    }
}
