package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.dedup.ExactDedup;
import org.scratchgpt.curation.dedup.MinHashDedup;

class DedupBenchTest {
    @Test
    void measuresBothStagesOnAGeneratedCorpusWithPlantedCopies() {
        List<Document> corpus = DedupBench.corpus(0.3, 1);
        DedupBench.Result exact = DedupBench.measure(ExactDedup::new, ExactDedup::memoryBytes, corpus, 1);
        DedupBench.Result minHash = DedupBench.measure(MinHashDedup::new, MinHashDedup::memoryBytes, corpus, 1);
        assertEquals("exact_dedup", exact.stage());
        assertTrue(exact.removed() > 0, "one document in 20 is an exact copy");
        // near copies and exact copies are both near duplicates
        assertTrue(minHash.removed() > exact.removed(), minHash.removed() + " vs " + exact.removed());
        assertTrue(exact.megabytesPerSecond() > 0 && minHash.megabytesPerCpuSecond() > 0);
        assertTrue(minHash.bytesPerKeptDocument() > 56 + 14 * 8, "at least the signature and 14 band entries");
    }

    @Test
    void scalePrintsTheHeapHeldPerKeptDocument() {
        StringWriter text = new StringWriter();
        DedupBench.scale(new PrintWriter(text, true), 500);
        assertTrue(text.toString().contains("Streamed 500 documents"), text.toString());
        assertTrue(text.toString().contains("per kept document"), text.toString());
    }
}
