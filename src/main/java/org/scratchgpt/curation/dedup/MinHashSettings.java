package org.scratchgpt.curation.dedup;

import org.scratchgpt.UserError;

/**
 * The knobs of {@link MinHashDedup}, with FineWeb's defaults (datatrove's MinhashConfig: word 5-grams, 14 buckets of 8
 * hashes, seed 1).
 *
 * @param shingleWords words per shingle (n of the word n-grams)
 * @param bands LSH bands (b)
 * @param rows MinHash values per band (r); the signature has b * r values
 * @param threshold a candidate pair is a duplicate when its estimated Jaccard similarity is at least this. The default
 *     0.75 sits one standard deviation of the 112-hash estimate (0.038) below 0.8, so that pairs of true similarity
 *     0.8 are not lost to estimation noise; the S-curve (steepest at 0.72) already removes few pairs below it
 * @param seed chooses the hash functions; the same seed gives the same decisions
 */
public record MinHashSettings(int shingleWords, int bands, int rows, double threshold, long seed) {
    public static final MinHashSettings FINEWEB = new MinHashSettings(5, 14, 8, 0.75, 1);

    public MinHashSettings {
        if (shingleWords < 1) {
            throw new UserError("MinHash shingles need at least 1 word, got " + shingleWords + "; FineWeb uses 5.");
        }
        if (bands < 1 || rows < 1 || (long) bands * rows > 4096) {
            throw new UserError("MinHash needs 1 or more bands and rows, at most 4096 hashes in all; got " + bands
                    + " bands x " + rows + " rows. FineWeb uses 14 x 8.");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new UserError("The MinHash Jaccard threshold must be in (0, 1], got " + threshold + "; e.g. 0.75.");
        }
    }

    public LshBands lsh() {
        return new LshBands(bands, rows);
    }
}
