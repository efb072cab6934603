/**
 * The data stage, between a download and {@code train}: raw documents in; clean, filtered, deduplicated, redacted
 * documents out, split into train and val, then tokenized into shards that {@code train --dataset} memory-maps.
 * This package holds only the contract every stage shares: read {@link org.scratchgpt.curation.Document}, {@link
 * org.scratchgpt.curation.DocumentStage} and {@link org.scratchgpt.curation.Verdict} first (one document, one step
 * with one job, and what the step decided). The stages live in the sub-packages, in the order they run: read, clean,
 * quality, dedup, redact, split, then shards and report; {@code curation.prepare} runs them all as
 * {@code scratchgpt data prepare}.
 *
 * <p>May use: nothing.
 */
package org.scratchgpt.curation;
