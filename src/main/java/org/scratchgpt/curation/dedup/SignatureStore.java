package org.scratchgpt.curation.dedup;

import java.util.ArrayList;
import java.util.List;

/**
 * The signatures of kept documents, to confirm a candidate pair by its estimated Jaccard similarity. To stay small it
 * keeps only the lowest 8 bits of each MinHash value ("b-bit minwise hashing", Li and König 2010): 1 byte per hash,
 * 112 bytes per document for FineWeb's 112 hashes instead of 896. Two different minima still agree on their low byte
 * with probability 1/256, so the fraction m of equal bytes overestimates J; since m ≈ J + (1 - J) / 256, the estimate
 * is J ≈ (m - 1/256) / (1 - 1/256). Stored in chunks so that growing never copies everything.
 */
final class SignatureStore {
    private static final int DOCUMENTS_PER_CHUNK = 4096;
    private static final double CHANCE_AGREEMENT = 1.0 / 256;

    private final int hashCount;
    private final List<byte[]> chunks = new ArrayList<>();
    private int count;

    SignatureStore(int hashCount) {
        this.hashCount = hashCount;
    }

    /** Stores the low bytes of {@code signature}; returns the document's number (0 for the first stored). */
    int add(long[] signature) {
        if (count % DOCUMENTS_PER_CHUNK == 0) {
            chunks.add(new byte[DOCUMENTS_PER_CHUNK * hashCount]);
        }
        byte[] chunk = chunks.get(count / DOCUMENTS_PER_CHUNK);
        int offset = (count % DOCUMENTS_PER_CHUNK) * hashCount;
        for (int i = 0; i < hashCount; i++) {
            chunk[offset + i] = (byte) signature[i];
        }
        return count++;
    }

    /** The Jaccard similarity between stored document {@code number} and a document of signature {@code signature}. */
    double estimatedJaccard(int number, long[] signature) {
        byte[] chunk = chunks.get(number / DOCUMENTS_PER_CHUNK);
        int offset = (number % DOCUMENTS_PER_CHUNK) * hashCount;
        int equal = 0;
        for (int i = 0; i < hashCount; i++) {
            if (chunk[offset + i] == (byte) signature[i]) {
                equal++;
            }
        }
        double agreement = (double) equal / hashCount;
        return Math.max(0, (agreement - CHANCE_AGREEMENT) / (1 - CHANCE_AGREEMENT));
    }

    int size() {
        return count;
    }

    long memoryBytes() {
        return (long) chunks.size() * DOCUMENTS_PER_CHUNK * hashCount;
    }
}
