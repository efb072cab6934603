package org.scratchgpt.curation.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Verdict;

class ExactDedupTest {
    @Test
    void removesEveryPlantedCopyAndKeepsEveryDistinctText() {
        SyntheticText text = new SyntheticText(7, 5000);
        List<String> originals = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            originals.add(text.document(20 + text.nextInt(200)));
        }
        List<Document> stream = new ArrayList<>();
        Set<String> planted = new HashSet<>();
        for (int i = 0; i < originals.size(); i++) {
            stream.add(new Document("orig-" + i, "gen", originals.get(i)));
            if (i % 3 == 0) { // a copy of an earlier document, some with other whitespace
                String copy = originals.get(text.nextInt(i + 1));
                String variant = i % 2 == 0 ? copy : "  " + copy.replace(" ", "\n\t ") + "\n";
                stream.add(new Document("copy-" + i, "gen", variant));
                planted.add("copy-" + i);
            }
        }
        ExactDedup dedup = new ExactDedup();
        Set<String> removed = new HashSet<>();
        for (Document document : stream) {
            Verdict verdict = dedup.apply(document);
            if (!verdict.kept()) {
                assertEquals(ExactDedup.RULE, verdict.removedBy());
                removed.add(document.id());
            }
        }
        long distinct = originals.stream().distinct().count();
        assertEquals(planted.size() + (originals.size() - distinct), removed.size(), "removed = planted copies");
        assertTrue(removed.containsAll(planted), "every planted copy is removed");
        assertEquals(distinct, dedup.distinctTexts());
    }

    @Test
    void oneChangedCharacterOrCaseIsADifferentText() {
        ExactDedup dedup = new ExactDedup();
        assertTrue(dedup.apply(new Document("a", "s", "The cat sat.")).kept());
        assertTrue(dedup.apply(new Document("b", "s", "The cat sat!")).kept());
        assertTrue(dedup.apply(new Document("c", "s", "the cat sat.")).kept());
        assertFalse(dedup.apply(new Document("d", "s", " The  cat\nsat. ")).kept());
    }

    @Test
    void normalisationCollapsesWhitespaceRunsAndTrims() {
        assertEquals("a b c", ExactDedup.normalized("\n a \t\t b\r\n c  "));
        assertEquals("", ExactDedup.normalized(" \n "));
    }

    @Test
    void fingerprintTableGrowsAndStaysExactOverAMillionEntries() {
        Fingerprints set = new Fingerprints();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            assertTrue(set.add(Mix64.mix(i), Mix64.mix(~i)));
        }
        for (int i = 0; i < n; i += 7) {
            assertFalse(set.add(Mix64.mix(i), Mix64.mix(~i)));
        }
        assertTrue(set.add(0, 0));
        assertFalse(set.add(0, 0));
        assertEquals(n + 1, set.size());
        // 16 bytes a slot, between 3/8 and 3/4 full: at most 43 bytes per fingerprint.
        assertTrue(set.memoryBytes() <= 43L * set.size(), "bytes per fingerprint: " + set.memoryBytes() / set.size());
    }
}
