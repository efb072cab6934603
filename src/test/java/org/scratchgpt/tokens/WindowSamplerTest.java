package org.scratchgpt.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowSamplerTest {

    @Test
    void generatorIsSplitMix64() {
        // The published first output of SplitMix64 from state 0.
        assertEquals(0xE220A8397B1DCDAFL, new WindowSampler(100, 8, 0).nextLong());
        // SplittableRandom(seed) runs the same generator, so the raw streams agree value for value.
        WindowSampler ours = new WindowSampler(100, 8, 1337);
        SplittableRandom reference = new SplittableRandom(1337);
        for (int i = 0; i < 1000; i++) {
            assertEquals(reference.nextLong(), ours.nextLong(), "draw " + i);
        }
    }

    @Test
    void startsCoverEveryValidPositionEvenly() {
        // 20 tokens, windows of 8 plus one target: starts 0..11, as torch.randint(20 - 8) gives.
        WindowSampler sampler = new WindowSampler(20, 8, 42);
        int[] counts = new int[12];
        int draws = 120_000;
        for (int i = 0; i < draws; i++) {
            long start = sampler.nextStart();
            assertTrue(start >= 0 && start <= 11, "start " + start + " leaves no room for window and target");
            counts[(int) start]++;
        }
        for (int count : counts) {
            assertEquals(draws / 12.0, count, draws / 12.0 * 0.05, Arrays.toString(counts));
        }
    }

    @Test
    void smallestPossibleFileAlwaysStartsAtZero() {
        WindowSampler sampler = new WindowSampler(9, 8, 5);

        for (int i = 0; i < 10; i++) {
            assertEquals(0, sampler.nextStart());
        }
    }

    @Test
    void sameSeedGivesSameStartsAndAnotherSeedDoesNot() {
        assertArrayEquals(draw(new WindowSampler(1_000_000, 64, 7), 50), draw(new WindowSampler(1_000_000, 64, 7), 50));
        assertFalse(Arrays.equals(draw(new WindowSampler(1_000_000, 64, 7), 50),
                draw(new WindowSampler(1_000_000, 64, 8), 50)));
    }

    @Test
    void restoredStateContinuesExactly() {
        WindowSampler original = new WindowSampler(1_000_000, 64, 7);
        draw(original, 37);
        long saved = original.state();
        long[] expected = draw(original, 100);

        WindowSampler resumed = new WindowSampler(1_000_000, 64, 999); // the seed no longer matters
        resumed.restore(saved);

        assertArrayEquals(expected, draw(resumed, 100));
    }

    @Test
    void tooFewTokensForOneWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSampler(8, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> new WindowSampler(100, 0, 1));
    }

    private static long[] draw(WindowSampler sampler, int count) {
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = sampler.nextStart();
        }
        return starts;
    }
}
