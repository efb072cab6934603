package org.scratchgpt.curation.dedup;

import java.util.Optional;
import org.scratchgpt.curation.Document;
import org.scratchgpt.curation.DocumentStage;
import org.scratchgpt.curation.Verdict;

/**
 * Near-duplicate removal with MinHash LSH, the way FineWeb does it, in one streaming pass: a document is removed
 * (rule {@value #RULE}) when an earlier kept document shares one of its LSH band keys and the two signatures estimate a
 * Jaccard similarity of at least the threshold; otherwise it is kept and its bands are filed. So the first document of
 * a group of near duplicates is kept and the later ones go.
 *
 * <p>Steps for one document: {@link Shingles} (word 5-grams of the lower-cased, punctuation-free text) → {@link
 * MinHasher} signature (112 minima) → {@link LshBands} keys (14 bands of 8) → look up each key in the {@link
 * BandBuckets} and confirm candidates with the {@link SignatureStore}. A document without words is kept untouched
 * (exact deduplication handles empty texts).
 *
 * <p>Memory per kept document (removed ones are not filed): 14 band entries of 8 bytes in tables 1/2 to 3/4 full (150
 * to 224 bytes) plus 56 signature bytes, so 205 to 280 bytes: about 1.5 million kept documents in a 512 MB heap
 * with room left for the rest of the pipeline. Beyond that, raise the heap (-Xmx) or deduplicate shards of the corpus
 * separately (near duplicates across shards then stay).
 *
 * <p>Differences from datatrove: datatrove writes the band keys to disk, sorts them and treats every band collision
 * as a duplicate (no Jaccard check), then keeps one document per connected cluster; here the buckets are in memory, a
 * collision is confirmed by the estimated similarity, and removed documents are not filed, so a chain A~B~C with A
 * and C dissimilar keeps C. One instance serves one stream, from one thread at a time.
 */
public final class MinHashDedup implements DocumentStage {
    public static final String RULE = "minhash_duplicate";

    /** The kept document that a removed one duplicated: its number among the kept documents (0 = the first kept). */
    public record Match(int keptNumber, double estimatedJaccard) {
    }

    private final MinHashSettings settings;
    private final LshBands lsh;
    private final MinHasher hasher;
    private final BandBuckets buckets = new BandBuckets();
    private final SignatureStore signatures;
    private Match lastMatch;

    public MinHashDedup(MinHashSettings settings) {
        this.settings = settings;
        this.lsh = settings.lsh();
        this.hasher = new MinHasher(lsh.signatureLength(), settings.seed());
        this.signatures = new SignatureStore(lsh.signatureLength());
    }

    public MinHashDedup() {
        this(MinHashSettings.FINEWEB);
    }

    @Override
    public String name() {
        return "minhash_dedup";
    }

    @Override
    public Verdict apply(Document document) {
        lastMatch = null;
        long[] shingles = Shingles.of(document.text(), settings.shingleWords());
        if (shingles.length == 0) {
            return Verdict.keep(document);
        }
        long[] signature = hasher.signature(shingles);
        int[] keys = new int[lsh.bands()];
        for (int band = 0; band < keys.length; band++) {
            keys[band] = lsh.key(signature, band);
            int match = buckets.firstMatch(keys[band], kept -> similarEnough(kept, signature));
            if (match >= 0) {
                lastMatch = new Match(match, signatures.estimatedJaccard(match, signature));
                return Verdict.remove(document, RULE);
            }
        }
        int number = signatures.add(signature);
        for (int key : keys) {
            buckets.add(key, number);
        }
        return Verdict.keep(document);
    }

    /** Which kept document the document of the last {@link #apply} call duplicated; empty if that one was kept. */
    public Optional<Match> lastMatch() {
        return Optional.ofNullable(lastMatch);
    }

    public int keptDocuments() {
        return signatures.size();
    }

    /** Heap bytes of the buckets and signatures now (allocated capacity, not only what is filled). */
    public long memoryBytes() {
        return buckets.memoryBytes() + signatures.memoryBytes();
    }

    private boolean similarEnough(int kept, long[] signature) {
        return signatures.estimatedJaccard(kept, signature) >= settings.threshold();
    }
}
