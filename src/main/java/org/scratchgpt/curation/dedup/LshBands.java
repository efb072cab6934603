package org.scratchgpt.curation.dedup;

/**
 * Locality-sensitive hashing over a MinHash signature of {@code bands * rows} values: the signature is cut into
 * {@code bands} bands of {@code rows} consecutive values, and two documents become a candidate pair when all the rows
 * of at least one band are equal. For documents of Jaccard similarity s one band matches with probability s^r, so
 *
 * <pre>P(candidate) = 1 - (1 - s^r)^b</pre>
 *
 * an S-curve that is near 0 for dissimilar documents and near 1 for similar ones, steepest around
 * (1/b)^(1/r). FineWeb's 14 bands of 8 rows put that point at 0.72, and give 0.053 at s = 0.5, 0.56 at 0.7, 0.92 at
 * 0.8, 0.988 at 0.85 and 0.9996 at 0.9. Comparing only band keys (instead of every pair of documents) is what makes
 * near-duplicate search linear in the corpus size.
 */
public record LshBands(int bands, int rows) {
    public LshBands {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be at least 1: " + bands + " x " + rows);
        }
    }

    public int signatureLength() {
        return bands * rows;
    }

    /** The probability that two documents of Jaccard similarity {@code s} share at least one band. */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** The similarity where the S-curve is steepest, (1/b)^(1/r): about where P(candidate) crosses one half. */
    public double steepestSimilarity() {
        return Math.pow(1.0 / bands, 1.0 / rows);
    }

    /**
     * A 32-bit key for band {@code band} of {@code signature}: a hash of the band's index and its rows. Equal rows give
     * equal keys; unequal rows give equal keys with probability 2^-32 per pair (such false candidates are caught by the
     * Jaccard check that follows).
     */
    int key(long[] signature, int band) {
        long h = band;
        for (int i = band * rows; i < (band + 1) * rows; i++) {
            h = Mix64.mix(h ^ signature[i]);
        }
        return (int) (h >>> 32);
    }
}
