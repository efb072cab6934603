package org.scratchgpt.curation.quality;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * The Gopher repetition rules: a document that says the same thing over and over (a page of boilerplate, a spam
 * template, a generator stuck in a loop) teaches a model to repeat itself. Measured, in the paper's order, as the
 * fraction of lines and paragraphs that repeat an earlier one (by count and by characters), the characters of the
 * most frequent 2-, 3- and 4-gram, and the characters inside repeated 5- to 10-grams. The first rule that fails
 * names the removal, as in datatrove: {@code gopher_dup_para_frac}, {@code gopher_dup_para_char_frac},
 * {@code gopher_dup_line_frac}, {@code gopher_dup_line_char_frac}, {@code gopher_top_N_gram},
 * {@code gopher_duplicated_N_n_grams}.
 */
public final class GopherRepetition implements DocumentStage {
    private static final Pattern PARAGRAPH_BREAKS = Pattern.compile("\n{2,}");
    private static final Pattern LINE_BREAKS = Pattern.compile("\n+");

    private final GopherRepetitionThresholds limits;

    public GopherRepetition(GopherRepetitionThresholds limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "repetition";
    }

    @Override
    public Verdict apply(Document document) {
        String rule = document.text().isEmpty() ? null : failedRule(document.text());
        return rule == null ? Verdict.keep(document) : Verdict.remove(document, rule);
    }

    String failedRule(String text) {
        double length = text.length();
        Duplicates paragraphs = Duplicates.of(PARAGRAPH_BREAKS.split(text.strip()));
        if (paragraphs.fraction() > limits.maxDuplicateParagraphFraction()) {
            return "gopher_dup_para_frac";
        }
        if (paragraphs.chars / length > limits.maxDuplicateParagraphCharFraction()) {
            return "gopher_dup_para_char_frac";
        }
        Duplicates lines = Duplicates.of(LINE_BREAKS.split(text));
        if (lines.fraction() > limits.maxDuplicateLineFraction()) {
            return "gopher_dup_line_frac";
        }
        if (lines.chars / length > limits.maxDuplicateLineCharFraction()) {
            return "gopher_dup_line_char_frac";
        }
        return nGramRule(Words.of(text), length);
    }

    private String nGramRule(List<String> words, double length) {
        double[] top = limits.topNGramFractions();
        for (int i = 0; i < top.length; i++) {
            int n = GopherRepetitionThresholds.FIRST_TOP_N + i;
            if (words.size() >= n && topNGramChars(words, n) / length > top[i]) {
                return "gopher_top_" + n + "_gram";
            }
        }
        double[] duplicate = limits.duplicateNGramFractions();
        for (int i = 0; i < duplicate.length; i++) {
            int n = GopherRepetitionThresholds.FIRST_DUPLICATE_N + i;
            if (duplicatedNGramChars(words, n) / length > duplicate[i]) {
                return "gopher_duplicated_" + n + "_n_grams";
            }
        }
        return null;
    }

    /** The characters of the most frequent n-gram (its words joined by spaces) times how often it occurs. */
    static long topNGramChars(List<String> words, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        List<String> top = null;
        int topCount = 0;
        for (int i = 0; i + n <= words.size(); i++) {
            List<String> gram = words.subList(i, i + n);
            int count = counts.merge(gram, 1, Integer::sum);
            if (count > topCount) {
                top = gram;
                topCount = count;
            }
        }
        return top == null ? 0 : (long) (String.join(" ", top).length()) * topCount;
    }

    /**
     * The characters (of the words, without spaces) inside n-grams that repeat an earlier one; a repeat is skipped
     * whole, so that overlapping repeats are not counted twice (as datatrove's {@code find_all_duplicate}).
     */
    static long duplicatedNGramChars(List<String> words, int n) {
        Set<List<String>> seen = new HashSet<>();
        long chars = 0;
        int i = 0;
        while (i + n <= words.size()) {
            List<String> gram = words.subList(i, i + n);
            if (seen.add(gram)) {
                i++;
            } else {
                for (String word : gram) {
                    chars += word.length();
                }
                i += n;
            }
        }
        return chars;
    }

    /** How many segments (lines, paragraphs) repeat an earlier one, and their characters. */
    private record Duplicates(int count, long chars, int total) {
        static Duplicates of(String[] segments) {
            Set<String> seen = new HashSet<>();
            int count = 0;
            long chars = 0;
            for (String segment : segments) {
                if (!seen.add(segment)) {
                    count++;
                    chars += segment.length();
                }
            }
            return new Duplicates(count, chars, segments.length);
        }

        double fraction() {
            return count / (double) total;
        }
    }
}
