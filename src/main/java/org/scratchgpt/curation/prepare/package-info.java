/**
 * {@code scratchgpt data prepare} as one pipeline: {@link org.scratchgpt.curation.prepare.PrepareSettings} (what the
 * user asked for) and {@link org.scratchgpt.curation.prepare.PreparePipeline}, which runs the stages of the other
 * curation sub-packages in order: read, clean, quality, dedup, redact, split, then shards and the report. It sits
 * above them, so that they and the shared {@code curation.Document} contract never depend on the whole pipeline.
 *
 * <p>May use: curation, curation.clean, curation.dedup, curation.quality, curation.read, curation.redact, curation.report, curation.shards, curation.split, io.
 */
package org.scratchgpt.curation.prepare;
