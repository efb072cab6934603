package org.scratchgpt.curation.dedup;

import java.util.Arrays;

/**
 * The shingles of a text for MinHash, as datatrove makes them: simplify the text (lower case, every character that is
 * not a letter or a digit becomes a word break, so punctuation and whitespace runs vanish), then take every run of
 * {@code n} consecutive words (word n-grams; FineWeb uses n = 5) and hash it to 64 bits. Two documents are near
 * duplicates when their sets of shingles overlap a lot (Jaccard similarity |A ∩ B| / |A ∪ B|).
 *
 * <p>A word hashes with FNV-1a over its lower-cased code points; an n-gram hashes by folding its word hashes in order
 * through {@link Mix64#mix}, so "a b c" and "c b a" differ. A text of fewer than {@code n} words (but at least one)
 * is one shingle of all its words; a text without words has no shingles.
 */
final class Shingles {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Shingles() {
    }

    /** The 64-bit hashes of the word {@code n}-grams of {@code text}, in text order (repeats included). */
    static long[] of(String text, int n) {
        long[] words = wordHashes(text);
        if (words.length == 0) {
            return words;
        }
        int count = Math.max(1, words.length - n + 1);
        int width = Math.min(n, words.length);
        long[] shingles = new long[count];
        for (int start = 0; start < count; start++) {
            long h = width;
            for (int w = start; w < start + width; w++) {
                h = Mix64.mix(h ^ words[w]);
            }
            shingles[start] = h;
        }
        return shingles;
    }

    /** One hash per word of the simplified text: lower-cased runs of letters and digits. */
    static long[] wordHashes(String text) {
        long[] hashes = new long[16];
        int count = 0;
        long h = FNV_OFFSET;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isLetterOrDigit(codePoint)) {
                h = (h ^ Character.toLowerCase(codePoint)) * FNV_PRIME;
                inWord = true;
            } else if (inWord) {
                if (count == hashes.length) {
                    hashes = Arrays.copyOf(hashes, 2 * count);
                }
                hashes[count++] = h;
                h = FNV_OFFSET;
                inWord = false;
            }
        }
        if (inWord) {
            hashes = count == hashes.length ? Arrays.copyOf(hashes, count + 1) : hashes;
            hashes[count++] = h;
        }
        return Arrays.copyOf(hashes, count);
    }
}
