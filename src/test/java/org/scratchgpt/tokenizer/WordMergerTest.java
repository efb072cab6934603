package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heap-based merger against {@link BasicBpe}'s plain rule: apply each merge to the whole word, in the
 * order learned. WordMerger's rule (the lowest-rank pair, leftmost first, repeat) gives the same result
 * because every merge makes a new id, so the pairs a merge creates can only rank after it.
 */
class WordMergerTest {

    /** {@code merges[r]} = {left, right, merged id}; a repeated pair is {-1, -1, id} and merges nothing. */
    private static int[] inLearnedOrder(int[] word, int[][] merges) {
        for (int[] m : merges) {
            word = BasicBpe.merge(word, new BasicBpe.Pair(m[0], m[1]), m[2]);
        }
        return word;
    }

    @Test
    void agreesWithThePlainRuleOnRandomWordsAndMerges() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            int alphabet = 2 + random.nextInt(4);
            int[][] merges = new int[random.nextInt(1, 12)][];
            MergeTable table = new MergeTable(merges.length);
            int nextId = alphabet;
            for (int r = 0; r < merges.length; r++) {
                int left = random.nextInt(nextId);
                int right = random.nextInt(nextId);
                merges[r] = new int[] {left, right, nextId};
                if (table.rank(left, right) < 0) {
                    table.put(left, right, r, nextId);
                } else {
                    merges[r] = new int[] {-1, -1, nextId}; // a repeated pair keeps its first rank
                }
                nextId++;
            }
            int[] word = random.ints(random.nextInt(1, 40), 0, alphabet).toArray();
            assertArrayEquals(inLearnedOrder(word, merges), WordMerger.merge(word.clone(), table), "trial " + trial);
        }
    }
}
