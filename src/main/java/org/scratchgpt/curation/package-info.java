/**
 * The data stage, between a download and {@code train}: raw documents in; clean, filtered, deduplicated, redacted
 * documents out, split into train and val, then tokenized into shards that {@code train --dataset} memory-maps.
 * Read {@link org.scratchgpt.curation.Document}, {@link org.scratchgpt.curation.DocumentStage} and {@link
 * org.scratchgpt.curation.Verdict} first (one document, one step with one job, and what the step decided), then
 * {@link org.scratchgpt.curation.PreparePipeline}, which runs {@code scratchgpt data prepare} as {@link
 * org.scratchgpt.curation.PrepareSettings} say, over the stages of the sub-packages in order: read, clean, quality,
 * dedup, redact, split, then shards and report. It uses its sub-packages and io.
 *
 * <p>May use: curation.clean, curation.dedup, curation.quality, curation.read, curation.redact, curation.report, curation.shards, curation.split, io.
 */
package org.scratchgpt.curation;
