package org.scratchgpt.curation.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Verdict;

class MinHashDedupTest {
    /** A generated corpus: distinct originals, then near copies (a few edits) and far copies (many edits) of some. */
    private record Planted(List<Document> stream, List<String> originals, List<Double> copyJaccard) {
        static Planted generate(long seed, int originalCount, int nearCopies, int farCopies) {
            SyntheticText text = new SyntheticText(seed, 20_000);
            List<String> originals = new ArrayList<>();
            for (int i = 0; i < originalCount; i++) {
                originals.add(text.document(150 + text.nextInt(250)));
            }
            List<Document> copies = new ArrayList<>();
            List<Double> jaccard = new ArrayList<>();
            for (int i = 0; i < nearCopies + farCopies; i++) {
                String original = originals.get(i);
                int words = original.split(" ").length;
                // near copies: up to words/40 edits, Jaccard about 0.78 to 0.99; far ones: words/6 edits, about 0.3
                int edits = i < nearCopies ? 1 + text.nextInt(words / 40) : words / 6;
                String copy = text.nearCopy(original, edits);
                copies.add(new Document("copy-" + i, "gen", copy));
                jaccard.add(ReferenceShingles.jaccard(original, copy));
            }
            List<Document> stream = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                stream.add(new Document("orig-" + i, "gen", originals.get(i)));
            }
            Collections.shuffle(copies, new Random(seed));
            stream.addAll(copies);
            return new Planted(stream, originals, jaccard);
        }
    }

    @Test
    void findsPlantedNearDuplicatesAndKeepsDistinctDocuments() {
        Planted planted = Planted.generate(11, 2500, 400, 300);
        Set<String> removed = new HashSet<>();
        MinHashDedup dedup = new MinHashDedup();
        for (Document document : planted.stream()) {
            Verdict verdict = dedup.apply(document);
            if (!verdict.kept()) {
                assertEquals(MinHashDedup.RULE, verdict.removedBy());
                removed.add(document.id());
                if (document.id().startsWith("copy-")) {
                    int copyOf = Integer.parseInt(document.id().substring(5));
                    assertEquals(copyOf, dedup.lastMatch().orElseThrow().keptNumber(), "names the document it copies");
                }
            }
        }
        int similarPairs = 0;
        int similarFound = 0;
        int distinct = planted.originals().size();
        int distinctRemoved = (int) removed.stream().filter(id -> id.startsWith("orig-")).count();
        for (int i = 0; i < planted.copyJaccard().size(); i++) {
            double jaccard = planted.copyJaccard().get(i);
            boolean found = removed.contains("copy-" + i);
            if (jaccard >= 0.8) {
                similarPairs++;
                similarFound += found ? 1 : 0;
            } else if (jaccard < 0.6) { // a document of its own: removing it is a false positive
                distinct++;
                distinctRemoved += found ? 1 : 0;
            }
        }
        assertTrue(similarPairs >= 300, "the generator plants enough pairs of Jaccard >= 0.8: " + similarPairs);
        assertTrue(distinct >= 2700, "and enough distinct documents: " + distinct);
        double recall = (double) similarFound / similarPairs;
        double falsePositives = (double) distinctRemoved / distinct;
        System.out.printf("MinHash 14x8, threshold 0.75: recall %.4f of %d pairs with Jaccard >= 0.8;"
                + " removed %d of %d distinct documents%n", recall, similarPairs, distinctRemoved, distinct);
        assertTrue(recall >= 0.95, "recall " + recall + " of " + similarPairs + " pairs with Jaccard >= 0.8");
        assertTrue(falsePositives <= 0.01, "removed " + distinctRemoved + " of " + distinct + " distinct documents");
    }

    @Test
    void sameInputGivesTheSameDecisions() {
        List<Document> stream = Planted.generate(5, 300, 60, 30).stream();
        assertEquals(decisions(stream, MinHashSettings.FINEWEB), decisions(stream, MinHashSettings.FINEWEB));
    }

    @Test
    void estimatedJaccardFollowsTheTrueJaccard() {
        SyntheticText text = new SyntheticText(3, 20_000);
        MinHasher hasher = new MinHasher(112, 1);
        double sumError = 0;
        int pairs = 200;
        for (int i = 0; i < pairs; i++) {
            String a = text.document(300);
            String b = text.nearCopy(a, 1 + text.nextInt(40));
            long[] signatureA = hasher.signature(Shingles.of(a, 5));
            long[] signatureB = hasher.signature(Shingles.of(b, 5));
            SignatureStore store = new SignatureStore(112);
            store.add(signatureA);
            sumError += store.estimatedJaccard(0, signatureB) - ReferenceShingles.jaccard(a, b);
        }
        // unbiased: the mean error of 200 estimates (each with sd about 0.04) is within a few hundredths of 0
        assertEquals(0, sumError / pairs, 0.015);
    }

    @Test
    void sCurveOfFineWebsBands() {
        LshBands lsh = MinHashSettings.FINEWEB.lsh();
        assertEquals(112, lsh.signatureLength());
        // 1 - (1 - s^8)^14, computed by hand (Python, float64)
        assertEquals(0.053320415032723556, lsh.candidateProbability(0.5), 1e-12);
        assertEquals(0.5645040423914174, lsh.candidateProbability(0.7), 1e-12);
        assertEquals(0.9235475586325811, lsh.candidateProbability(0.8), 1e-12);
        assertEquals(0.9996221997318117, lsh.candidateProbability(0.9), 1e-12);
        assertEquals(0.7190084519372291, lsh.steepestSimilarity(), 1e-12);
    }

    @Test
    void bandsRowsAndThresholdAreOptions() {
        MinHashSettings settings = new MinHashSettings(3, 9, 13, 0.9, 42);
        assertEquals(117, settings.lsh().signatureLength());
        assertEquals(1 - Math.pow(1 - Math.pow(0.8, 13), 9), settings.lsh().candidateProbability(0.8), 1e-15);
        SyntheticText text = new SyntheticText(9, 20_000);
        String original = text.document(300);
        MinHashDedup dedup = new MinHashDedup(settings);
        assertTrue(dedup.apply(new Document("a", "s", original)).kept());
        assertTrue(!dedup.apply(new Document("b", "s", original.toUpperCase())).kept(), "case is simplified away");
        assertTrue(dedup.apply(new Document("c", "s", text.nearCopy(original, 60))).kept(), "far below 0.9");
        assertEquals(2, dedup.keptDocuments());
    }

    @Test
    void shinglesIgnoreCasePunctuationAndWhitespace() {
        assertEquals(List.of(), toList(Shingles.of(" ,.! ", 5)));
        assertEquals(toList(Shingles.of("The cat, sat on the MAT today.", 5)),
                toList(Shingles.of("the  cat sat\non the mat -- today", 5)));
        assertEquals(3, Shingles.of("one two three four five six seven", 5).length);
        assertEquals(1, Shingles.of("just three words", 5).length);
        assertEquals(ReferenceShingles.of("a b c d e f a b c d e", 5).size(),
                new HashSet<>(toList(Shingles.of("a b c d e f a b c d e", 5))).size());
    }

    @Test
    void documentsWithoutWordsAreKept() {
        MinHashDedup dedup = new MinHashDedup();
        assertTrue(dedup.apply(new Document("a", "s", "")).kept());
        assertTrue(dedup.apply(new Document("b", "s", "...")).kept());
        assertEquals(0, dedup.keptDocuments());
    }

    @Test
    void badSettingsNameTheFix() {
        UserError error = assertThrows(UserError.class, () -> new MinHashSettings(5, 0, 8, 0.75, 1));
        assertTrue(error.getMessage().contains("14 x 8"), error.getMessage());
        assertThrows(UserError.class, () -> new MinHashSettings(5, 14, 8, 1.5, 1));
    }

    private static List<String> decisions(List<Document> stream, MinHashSettings settings) {
        MinHashDedup dedup = new MinHashDedup(settings);
        List<String> decisions = new ArrayList<>();
        for (Document document : stream) {
            Verdict verdict = dedup.apply(document);
            decisions.add(document.id() + "=" + verdict.kept() + dedup.lastMatch().map(m -> ":" + m).orElse(""));
        }
        return decisions;
    }

    private static List<Long> toList(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long value : values) {
            list.add(value);
        }
        return list;
    }
}
