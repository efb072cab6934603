package org.scratchgpt.curation.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Verdict;

class TextCleanerTest {
    private final TextCleaner cleaner = new TextCleaner();

    private Verdict clean(String text) {
        return cleaner.apply(new Document("d", "s", text));
    }

    @Test
    void composesToNfc() {
        Verdict verdict = clean("cafe\u0301 and na\u0131ve");

        assertEquals("caf\u00e9 and na\u0131ve", verdict.document().text());
        assertEquals(Map.of("nfc", 1), verdict.changes());
    }

    @Test
    void removesControlCharactersButKeepsNewlinesAndTabs() {
        Verdict verdict = clean("a\u0000b\u001b[0mc\u0007\td\ne\u0085f\uFEFF");

        assertEquals("ab[0mc\td\nef", verdict.document().text());
        assertEquals(Map.of("control_characters", 5), verdict.changes());
    }

    @Test
    void collapsesWhitespaceRunsAndKeepsParagraphBreaks() {
        Verdict verdict = clean("  One   two\t\tthree  \r\nfour\n\n\n\nfive\u00a0six\rseven \n");

        assertEquals("One two three\nfour\n\nfive six\nseven", verdict.document().text());
        // leading run, "   ", "\t\t", trailing "  " of a line, four newlines, a lone no-break space, the document's end
        assertEquals(Map.of("whitespace_runs", 7, "line_endings", 2), verdict.changes());
    }

    @Test
    void leavesCleanTextAlone() {
        Document clean = new Document("d", "s", "One line.\n\nA paragraph\twith a tab.");

        Verdict verdict = cleaner.apply(clean);

        assertSame(clean, verdict.document());
        assertTrue(verdict.changes().isEmpty());
        assertTrue(verdict.kept());
    }

    @Test
    void emptyDocumentsGoUnlessKept() {
        Document blank = new Document("d", "s", "");

        assertFalse(new EmptyDocuments(false).apply(blank).kept());
        assertEquals("empty", new EmptyDocuments(false).apply(blank).removedBy());
        assertTrue(new EmptyDocuments(true).apply(blank).kept());
        assertTrue(new EmptyDocuments(false).apply(new Document("d", "s", "x")).kept());
    }
}
