package org.scratchgpt.curation;

/**
 * One step of the data stage, with one job (clean, filter, deduplicate, redact), applied to a stream of documents
 * one at a time, in the order they were read. A stage may remember what it has seen (deduplication does) but sees
 * each document once, so the whole corpus never has to fit in memory. Because every stage is a function of the
 * document stream, the same stages could run on a cluster engine that shards the stream (see the README).
 */
public interface DocumentStage {
    /** A short name for the report, e.g. "clean", "quality", "exact_dedup", "minhash_dedup", "redact". */
    String name();

    /** What to do with {@code document}: keep it (perhaps changed) or remove it. */
    Verdict apply(Document document);
}
