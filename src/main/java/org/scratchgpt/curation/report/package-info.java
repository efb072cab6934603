/**
 * What {@code data prepare} did, stage by stage. {@link org.scratchgpt.curation.report.StageTally} counts one
 * stage's documents and bytes in and out, what each rule removed and what was changed, without growing with the
 * corpus; {@link org.scratchgpt.curation.report.PrepareReport} gathers the tallies and the splits' counts for {@code
 * report.json}, and {@link org.scratchgpt.curation.report.ReportMarkdown} writes {@code report.md} for a person. It
 * uses its parent package's stage types, curation.redact for the kinds of personal data, and io.
 *
 * <p>May use: curation, curation.redact, io.
 */
package org.scratchgpt.curation.report;
