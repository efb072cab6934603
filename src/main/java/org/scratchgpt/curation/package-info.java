/**
 * The data stage, between a download and {@code train}: raw documents in, clean, filtered, deduplicated, redacted
 * documents out, split into train and val, then tokenized into shards that {@code train --dataset} memory-maps.
 * Each step is a {@link org.scratchgpt.curation.DocumentStage} with one job; {@code scratchgpt data prepare} runs
 * them in order over a stream of {@link org.scratchgpt.curation.Document}s.
 */
package org.scratchgpt.curation;
