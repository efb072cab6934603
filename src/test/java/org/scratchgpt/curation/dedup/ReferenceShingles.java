package org.scratchgpt.curation.dedup;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An independent reference for the tests: word 5-gram shingles as plain strings (no hashing), and the exact Jaccard
 * similarity of two texts' shingle sets.
 */
final class ReferenceShingles {
    private ReferenceShingles() {
    }

    static Set<String> of(String text, int n) {
        List<String> words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).toList();
        Set<String> shingles = new HashSet<>();
        for (int start = 0; start + n <= words.size(); start++) {
            shingles.add(String.join(" ", words.subList(start, start + n)));
        }
        return shingles;
    }

    static double jaccard(String a, String b) {
        Set<String> left = of(a, 5);
        Set<String> right = of(b, 5);
        Set<String> union = new HashSet<>(left);
        union.addAll(right);
        left.retainAll(right);
        return (double) left.size() / union.size();
    }
}
