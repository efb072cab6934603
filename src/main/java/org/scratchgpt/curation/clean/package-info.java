/**
 * Cleaning, the stages that run first on every document. {@link org.scratchgpt.curation.clean.TextCleaner} makes
 * equal text equal byte for byte (Unicode NFC, one kind of line ending, no control characters, whitespace runs
 * shrunk), so that the filters, deduplication and the tokenizer see one form of it; {@link
 * org.scratchgpt.curation.clean.EmptyDocuments} then removes documents with no text left. Both are {@code
 * DocumentStage}s of the parent package, which is all they use.
 *
 * <p>May use: curation.
 */
package org.scratchgpt.curation.clean;
