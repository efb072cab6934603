package org.scratchgpt.curation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.Utf8Length;
import org.scratchgpt.curation.Verdict;
import org.scratchgpt.curation.redact.PiiRedactor;

/**
 * What one stage did over the whole run: documents and bytes in and out, how many documents each rule removed,
 * what the stage changed by kind, and a few examples of each. It grows with the number of rules and kinds, never
 * with the number of documents.
 */
public final class StageTally {
    /** How many examples are kept per rule or kind, and how many characters of each. */
    static final int EXAMPLES = 3;
    static final int EXAMPLE_CHARS = 200;

    final String stage;
    long documentsIn;
    long bytesIn;
    long documentsOut;
    long bytesOut;
    long documentsChanged;
    long nanos; // time spent in the stage, for its throughput
    final Map<String, Long> removedBy = new TreeMap<>();
    final Map<String, Long> changes = new TreeMap<>();
    final Map<String, List<Example>> removedExamples = new TreeMap<>();
    final Map<String, List<Example>> changedExamples = new TreeMap<>();

    /** A document's id and a short excerpt of its text. */
    record Example(String id, String excerpt) {}

    StageTally(String stage) {
        this.stage = stage;
    }

    /** Counts one verdict on a document whose text had {@code bytesBefore} bytes before the stage. */
    void count(long bytesBefore, Verdict verdict) {
        documentsIn++;
        bytesIn += bytesBefore;
        if (!verdict.kept()) {
            removedBy.merge(verdict.removedBy(), 1L, Long::sum);
            addExample(removedExamples, verdict.removedBy(), verdict.document(), 0);
            return;
        }
        documentsOut++;
        bytesOut += Utf8Length.of(verdict.document().text());
        if (!verdict.changes().isEmpty()) {
            documentsChanged++;
        }
        verdict.changes().forEach((kind, n) -> {
            changes.merge(kind, (long) n, Long::sum);
            addExample(changedExamples, kind, verdict.document(), placeholderOf(kind, verdict.document().text()));
        });
    }

    private static void addExample(Map<String, List<Example>> examples, String key, Document document, int around) {
        List<Example> list = examples.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            // Redacted even when the stage was not redaction: a removed document's personal data is not for the report.
            list.add(new Example(document.id(), PiiRedactor.redacted(excerpt(document.text(), around))));
        }
    }

    /**
     * Where the first placeholder of {@code kind} is, so that its example shows what that kind of redaction did (a
     * document's card number may come long after its e-mail address); any placeholder for a change of another kind.
     */
    private static int placeholderOf(String kind, String text) {
        String placeholder = PiiRedactor.placeholderOf(kind);
        int at = placeholder == null ? -1 : text.indexOf(placeholder);
        return at >= 0 ? at : firstPlaceholder(text);
    }

    /** Where the first redaction placeholder is, so that an example shows it; 0 when there is none. */
    private static int firstPlaceholder(String text) {
        int first = -1;
        for (String placeholder : PiiRedactor.PLACEHOLDERS) {
            int at = text.indexOf(placeholder);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return Math.max(first, 0);
    }

    /** About {@link #EXAMPLE_CHARS} characters of {@code text} from a little before {@code around}. */
    static String excerpt(String text, int around) {
        int start = Math.max(0, around - EXAMPLE_CHARS / 4);
        int end = Math.min(text.length(), start + EXAMPLE_CHARS);
        return (start > 0 ? "…" : "") + text.substring(start, end) + (end < text.length() ? "…" : "");
    }
}
