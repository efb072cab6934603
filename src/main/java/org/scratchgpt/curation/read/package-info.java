/**
 * The first stage of {@code data prepare}: the input's documents, one at a time. Read {@link
 * org.scratchgpt.curation.read.DocumentReader} first (a text file is one document, a JSON lines file one per line,
 * each with an id that is the same on every run), then {@link org.scratchgpt.curation.read.InputFiles} (the files
 * behind {@code --input}, in a stable order), {@link org.scratchgpt.curation.read.ByteLines} and {@link
 * org.scratchgpt.curation.read.Utf8Decoding} (lines read as bytes and checked for invalid UTF-8, which {@link
 * org.scratchgpt.curation.read.InvalidUtf8} says to drop or repair) and {@link
 * org.scratchgpt.curation.read.CountingInputStream} (the bytes read, for the progress bar). It uses only its parent
 * package's Document and Verdict.
 *
 * <p>May use: curation, io.
 */
package org.scratchgpt.curation.read;
