package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenHistoryTest {

    @Test
    void keepsThePromptThenEveryAppendedIdAcrossGrowth() {
        TokenHistory history = new TokenHistory(new int[] {7, 8, 9});
        IntStream.range(0, 1000).forEach(history::append); // several times the first capacity

        int[] all = history.last(Integer.MAX_VALUE);
        assertEquals(1003, all.length);
        assertArrayEquals(new int[] {7, 8, 9, 0, 1}, Arrays.copyOf(all, 5));
        assertArrayEquals(IntStream.range(0, 1000).toArray(), history.from(3));
    }

    @Test
    void theWindowIsTheLastIdsOrAllOfThemWhenFewer() {
        TokenHistory history = new TokenHistory(new int[] {1, 2});
        assertArrayEquals(new int[] {1, 2}, history.last(16));
        history.append(3);
        history.append(4);
        assertArrayEquals(new int[] {3, 4}, history.last(2));
        assertArrayEquals(new int[] {1, 2, 3, 4}, history.last(4));
    }
}
