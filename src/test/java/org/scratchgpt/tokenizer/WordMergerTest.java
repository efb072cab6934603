package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The heap-based merger against the plain quadratic rule: merge the lowest-rank pair, leftmost first. */
class WordMergerTest {

    private static int[] naive(int[] word, int[][] merges) {
        List<Integer> s = new ArrayList<>();
        for (int id : word) {
            s.add(id);
        }
        while (true) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < s.size(); i++) {
                for (int r = 0; r < merges.length; r++) {
                    if (merges[r][0] == s.get(i) && merges[r][1] == s.get(i + 1) && r < bestRank) {
                        bestRank = r;
                        bestAt = i;
                    }
                }
            }
            if (bestAt < 0) {
                return s.stream().mapToInt(Integer::intValue).toArray();
            }
            s.set(bestAt, merges[bestRank][2]);
            s.remove(bestAt + 1);
        }
    }

    @Test
    void agreesWithTheNaiveRuleOnRandomWordsAndMerges() {
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
            assertArrayEquals(naive(word, merges), WordMerger.merge(word.clone(), table), "trial " + trial);
        }
    }
}
