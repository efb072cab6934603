/**
 * Where each kept document goes. {@link org.scratchgpt.curation.split.SplitChooser} picks train, val or test by a
 * hash of the document's id alone, so a document lands in the same split on every run, whatever the order; {@link
 * org.scratchgpt.curation.split.SplitWriter} writes each split as JSON lines in gzipped parts, for a person or a
 * tokenizer to read; {@link org.scratchgpt.curation.split.NonEmptySplits} sees that train and val both get a
 * document when there are two or more. It uses its parent package's Document and io (the crash-safety tests' crash points).
 *
 * <p>May use: curation, io.
 */
package org.scratchgpt.curation.split;
