/**
 * Quality filters from the Gopher paper (Rae et al. 2021), as datatrove runs them. {@link
 * org.scratchgpt.curation.quality.GopherQuality} tells prose from what is not (menus, tables of numbers, lists of
 * links, keyword spam) by simple statistics of its {@link org.scratchgpt.curation.quality.Words}; {@link
 * org.scratchgpt.curation.quality.GopherRepetition} removes a document that says the same thing over and over. Each
 * takes its thresholds ({@link org.scratchgpt.curation.quality.GopherQualityThresholds}, {@link
 * org.scratchgpt.curation.quality.GopherRepetitionThresholds}), with the paper's values as defaults. Both are {@code
 * DocumentStage}s of the parent package, which is all they use.
 *
 * <p>May use: curation.
 */
package org.scratchgpt.curation.quality;
