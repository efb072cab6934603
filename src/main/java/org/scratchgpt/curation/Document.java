package org.scratchgpt.curation;

import java.util.Objects;

/**
 * One document on its way through the data stage: a stable {@code id} (the same on every run over the same input,
 * e.g. {@code "books/a.txt"} or {@code "web.jsonl.gz:1234"}), the {@code source} it was read from (a file path, for
 * the report and for the user), and its {@code text}. Stages never change the id or the source, only the text.
 */
public record Document(String id, String source, String text) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }

    /** The same document with another text (a cleaned or redacted one). */
    public Document withText(String newText) {
        return new Document(id, source, newText);
    }
}
