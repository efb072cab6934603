/**
 * Deduplication, the two stages FineWeb and datatrove run. {@link org.scratchgpt.curation.dedup.ExactDedup} removes
 * a document whose text (whitespace normalised) was seen before, by a 128-bit fingerprint kept in {@link
 * org.scratchgpt.curation.dedup.Fingerprints}; {@link org.scratchgpt.curation.dedup.MinHashDedup} removes near
 * duplicates by MinHash locality-sensitive hashing: word 5-gram {@link org.scratchgpt.curation.dedup.Shingles},
 * signatures from a {@link org.scratchgpt.curation.dedup.MinHasher}, candidate pairs from {@link
 * org.scratchgpt.curation.dedup.LshBands} and {@link org.scratchgpt.curation.dedup.BandBuckets}, each confirmed by
 * the similarity its {@link org.scratchgpt.curation.dedup.SignatureStore} estimates, as {@link
 * org.scratchgpt.curation.dedup.MinHashSettings} say. Both stream: the first document of a group is kept, and what
 * they remember per kept document is a fixed number of bytes in primitive arrays; {@link
 * org.scratchgpt.curation.dedup.SyntheticText} makes text to test and time them with. They are {@code
 * DocumentStage}s of the parent package, which is all they use.
 *
 * <p>May use: curation.
 */
package org.scratchgpt.curation.dedup;
