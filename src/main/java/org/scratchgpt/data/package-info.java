/**
 * The training corpora, fetched, verified and read. Read {@link org.scratchgpt.data.Corpus} and {@link
 * org.scratchgpt.data.KnownCorpus} first (what a corpus is: its address, size and SHA-256), then {@link
 * org.scratchgpt.data.CorpusDownloader} (into a temporary file, checked, renamed into place; with {@link
 * org.scratchgpt.data.StallGuard} against a server that stops sending and {@link
 * org.scratchgpt.data.ZipEntryExtractor} for a zipped corpus) and {@link org.scratchgpt.data.CorpusText} (a corpus
 * file read strictly as UTF-8, for tokenizers and training). It uses io only.
 *
 * <p>May use: io.
 */
package org.scratchgpt.data;
