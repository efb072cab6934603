package org.scratchgpt.curation.clean;

import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * Removes documents with no text left (an empty file, a record whose text was only whitespace or control
 * characters), unless asked to keep them ({@code --keep-empty}): an empty document teaches the model nothing but an
 * end-of-text token right after another. Runs after cleaning, so that "empty" means empty once cleaned.
 */
public final class EmptyDocuments implements DocumentStage {
    public static final String RULE = "empty";

    private final boolean keep;

    public EmptyDocuments(boolean keep) {
        this.keep = keep;
    }

    @Override
    public String name() {
        return "empty";
    }

    @Override
    public Verdict apply(Document document) {
        return keep || !document.text().isBlank() ? Verdict.keep(document) : Verdict.remove(document, RULE);
    }
}
