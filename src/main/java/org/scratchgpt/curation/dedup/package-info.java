/**
 * Deduplication, the two stages FineWeb and datatrove run: {@link org.scratchgpt.curation.dedup.ExactDedup} removes
 * a document whose text (whitespace normalised) was seen before, by a 128-bit fingerprint; {@link
 * org.scratchgpt.curation.dedup.MinHashDedup} removes near duplicates by MinHash locality-sensitive hashing over word
 * 5-gram shingles. Both stream: the first document of a group is kept, later ones are removed, and what they remember
 * per kept document is a fixed number of bytes in primitive arrays (no object per document).
 */
package org.scratchgpt.curation.dedup;
