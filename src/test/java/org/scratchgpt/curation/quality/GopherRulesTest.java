package org.scratchgpt.curation.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.scratchgpt.curation.Prose;

/** Each Gopher rule removes the document planted to fail it, names itself, and good prose passes them all. */
class GopherRulesTest {
    private final GopherQuality quality = new GopherQuality(GopherQualityThresholds.defaults());
    private final GopherRepetition repetition = new GopherRepetition(GopherRepetitionThresholds.defaults());
    private final Random random = new Random(7);

    private String prose(int sentences) {
        return Prose.paragraph(random, sentences);
    }

    private static String repeat(String word, int times) {
        return IntStream.range(0, times).mapToObj(i -> word).collect(Collectors.joining(" "));
    }

    @Test
    void goodProsePassesEveryRule() {
        for (int i = 0; i < 50; i++) {
            String text = prose(10) + "\n\n" + prose(8) + "\n" + prose(9);
            assertNull(quality.failedRule(text), text);
            assertNull(repetition.failedRule(text), text);
        }
    }

    @Test
    void eachQualityRuleRemovesItsPlantedDocument() {
        assertEquals("gopher_short_doc", quality.failedRule("Too short to teach anything."));
        assertEquals("gopher_long_doc", new GopherQuality(new GopherQualityThresholds(50, 60, 3, 10, 0.1, 0.9, 0.3,
                0.8, 2)).failedRule(prose(20)));
        assertEquals("gopher_below_avg_threshold", quality.failedRule(repeat("to be or of an", 20)));
        assertEquals("gopher_above_avg_threshold",
                quality.failedRule(repeat("the internationalization of telecommunications", 20)));
        assertEquals("gopher_too_many_hashes", quality.failedRule(prose(10) + " " + repeat("#trending", 15)));
        assertEquals("gopher_too_many_ellipsis", quality.failedRule(prose(10) + " " + repeat("more...", 15)));
        String bullets = IntStream.range(0, 20).mapToObj(i -> "- " + prose(1)).collect(Collectors.joining("\n"));
        assertEquals("gopher_too_many_bullets", quality.failedRule(bullets));
        String teasers = IntStream.range(0, 10).mapToObj(i -> prose(1) + (i % 2 == 0 ? " Read more..." : ""))
                .collect(Collectors.joining("\n"));
        assertEquals("gopher_too_many_end_ellipsis", quality.failedRule(teasers));
        String numbers = prose(8) + " " + IntStream.range(0, 40).mapToObj(i -> Integer.toString(1000 + i * 37))
                .collect(Collectors.joining(" "));
        assertEquals("gopher_below_alpha_threshold", quality.failedRule(numbers));
        assertEquals("gopher_enough_stop_words", quality.failedRule(
                prose(12).replaceAll("(?i)\\b(the|and|to|of|with|that)\\b", "one")));
    }

    @Test
    void eachRepetitionRuleRemovesItsPlantedDocument() {
        String paragraph = prose(4);
        assertEquals("gopher_dup_para_frac", repetition.failedRule(
                String.join("\n\n", prose(4), paragraph, paragraph, paragraph)));
        String line = prose(3);
        assertEquals("gopher_dup_line_frac", repetition.failedRule(
                String.join("\n", prose(2), line, prose(2), line, line)));
        String longLine = prose(6);
        assertEquals("gopher_dup_line_char_frac", repetition.failedRule(
                String.join("\n", prose(1), prose(1), prose(1), prose(1), prose(1), prose(1), prose(1), prose(1),
                        longLine, longLine)));
        assertEquals("gopher_top_2_gram", repetition.failedRule(prose(6) + " " + repeat("buy now", 20)));
        String copied = prose(10);
        String spam = prose(10) + " " + copied + " " + copied; // a page that repeats its text, on one line
        assertEquals("gopher_duplicated_5_n_grams", repetition.failedRule(spam));
    }

    @Test
    void nGramStatisticsMatchHandCountedValues() {
        // "a b" and "b a" occur twice each; the first to reach two is "a b": 3 characters x 2
        assertEquals(6, GopherRepetition.topNGramChars(List.of("a", "b", "a", "b", "a"), 2));
        // abc, bca, cab are new; the abc at 3 repeats (3 chars, skip to 6), the abc at 6 repeats (3 chars)
        assertEquals(6, GopherRepetition.duplicatedNGramChars(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), 3));
        assertEquals(0, GopherRepetition.duplicatedNGramChars(List.of("a", "b", "c", "d"), 3));
    }
}
