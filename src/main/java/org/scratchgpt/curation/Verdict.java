package org.scratchgpt.curation;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DocumentStage} decided about one document: keep it (as it was, or with its text changed), or
 * remove it, naming the rule that removed it. {@code changes} counts what a stage changed by kind (for example
 * {@code {"email": 2, "ipv4": 1}} from redaction, {@code {"control_characters": 3}} from cleaning); the report adds
 * them up. A removed verdict keeps the document, so that the report can show examples of what was removed.
 */
public record Verdict(Document document, String removedBy, Map<String, Integer> changes) {
    public Verdict {
        Objects.requireNonNull(document, "document");
        changes = Map.copyOf(changes);
    }

    /** Keep the document unchanged. */
    public static Verdict keep(Document document) {
        return new Verdict(document, null, Map.of());
    }

    /** Keep the document, whose text the stage changed as {@code changes} counts. */
    public static Verdict changed(Document document, Map<String, Integer> changes) {
        return new Verdict(document, null, changes);
    }

    /** Remove the document; {@code rule} names why, e.g. "gopher_min_words" or "minhash_duplicate". */
    public static Verdict remove(Document document, String rule) {
        return new Verdict(document, Objects.requireNonNull(rule, "rule"), Map.of());
    }

    public boolean kept() {
        return removedBy == null;
    }
}
