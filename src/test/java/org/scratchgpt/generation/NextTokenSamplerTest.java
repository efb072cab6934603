package org.scratchgpt.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class NextTokenSamplerTest {

    private static final SamplingSettings PLAIN = new SamplingSettings(1.0, 0, 1.0, 42, 1, SamplingSettings.NO_STOP_TOKEN);
    private static final int DRAWS = 20_000;

    @Test
    void greedyIsTheArgmax() {
        NextTokenSampler greedy = new NextTokenSampler(PLAIN.withTemperature(0));
        Random random = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = randomLogits(random, 65);
            assertEquals(argmax(logits), greedy.next(logits));
        }
        assertArrayEquals(new double[] {0, 0, 1, 0}, greedy.probabilities(new float[] {1, 2, 5, 3}));
        assertEquals(1, greedy.next(new float[] {0, 7, 7}), "ties go to the lowest id");
    }

    @Test
    void topKOfOneIsTheArgmax() {
        NextTokenSampler topOne = new NextTokenSampler(PLAIN.withTopK(1));
        Random random = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = randomLogits(random, 65);
            assertEquals(argmax(logits), topOne.next(logits));
        }
    }

    @Test
    void topKDrawsOnlyFromTheKLargest() {
        float[] logits = {0.5f, 2.0f, -1.0f, 1.5f, 1.9f, 0.0f, 1.0f};  // the three largest: ids 1, 4, 3
        int[] counts = countDraws(new NextTokenSampler(PLAIN.withTopK(3)), logits);
        double[] expected = normalised(new double[] {0, Math.exp(2.0), 0, Math.exp(1.5), Math.exp(1.9), 0, 0});
        assertFrequencies(expected, counts);
    }

    @Test
    void topKKeepsEveryTokenTiedWithTheKth() {
        double[] probabilities = new NextTokenSampler(PLAIN.withTopK(2)).probabilities(new float[] {5, 4, 4, 1});
        assertTrue(probabilities[0] > 0 && probabilities[1] > 0 && probabilities[2] > 0, "ids 1 and 2 tie for 2nd");
        assertEquals(0.0, probabilities[3]);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        assertArrayEquals(new double[] {1, 0, 0, 0}, probabilities(0.4, logits), 1e-9, "the top token alone");
        assertArrayEquals(new double[] {0.5 / 0.8, 0.3 / 0.8, 0, 0}, probabilities(0.75, logits), 1e-6);
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, probabilities(0.9, logits), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.3, 0.15, 0.05}, probabilities(1.0, logits), 1e-6);
        assertArrayEquals(new double[] {1, 0, 0, 0}, probabilities(1e-9, logits), 1e-9, "never fewer than one");

        int[] counts = countDraws(new NextTokenSampler(PLAIN.withTopP(0.75)), logits);
        assertFrequencies(new double[] {0.625, 0.375, 0, 0}, counts);
    }

    @Test
    void topPActsOnWhatTopKLeft() {
        float[] logits = logitsOf(0.4, 0.3, 0.2, 0.1);
        // Top-2 leaves 4/7 and 3/7; a nucleus of 0.5 then needs only the first.
        double[] probabilities = new NextTokenSampler(PLAIN.withTopK(2).withTopP(0.5)).probabilities(logits);
        assertArrayEquals(new double[] {1, 0, 0, 0}, probabilities, 1e-9);
    }

    @Test
    void lowTemperatureSharpensAndHighTemperatureFlattens() {
        float[] logits = {0f, 1f, 2f};
        double previousTopShare = 1.0;
        for (double temperature : new double[] {0.5, 1.0, 2.0}) {
            int[] counts = countDraws(new NextTokenSampler(PLAIN.withTemperature(temperature)), logits);
            double[] expected = normalised(new double[] {
                Math.exp(0 / temperature), Math.exp(1 / temperature), Math.exp(2 / temperature)});
            assertFrequencies(expected, counts);
            double topShare = counts[2] / (double) DRAWS;
            assertTrue(topShare < previousTopShare, "at temperature " + temperature + " the top token should get"
                    + " less than " + previousTopShare + ", got " + topShare);
            previousTopShare = topShare;
        }
    }

    @Test
    void aTinyTemperatureDoesNotOverflow() {
        double[] probabilities = new NextTokenSampler(PLAIN.withTemperature(1e-6)).probabilities(new float[] {30, 31});
        assertArrayEquals(new double[] {0, 1}, probabilities, 1e-12);
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        float[] logits = randomLogits(new Random(3), 65);
        int[] first = drawMany(new NextTokenSampler(PLAIN.withSeed(7)), logits);
        int[] second = drawMany(new NextTokenSampler(PLAIN.withSeed(7)), logits);
        int[] other = drawMany(new NextTokenSampler(PLAIN.withSeed(8)), logits);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void brokenLogitsAreReported() {
        NextTokenSampler sampler = new NextTokenSampler(PLAIN);
        UserError error = assertThrows(UserError.class, () -> sampler.next(new float[] {0, Float.NaN}));
        assertTrue(error.getMessage().contains("logits contain NaN"), error.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private static double[] probabilities(double topP, float[] logits) {
        return new NextTokenSampler(PLAIN.withTopP(topP)).probabilities(logits);
    }

    private static int[] countDraws(NextTokenSampler sampler, float[] logits) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.next(logits)]++;
        }
        return counts;
    }

    private static int[] drawMany(NextTokenSampler sampler, float[] logits) {
        int[] ids = new int[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sampler.next(logits);
        }
        return ids;
    }

    /**
     * A token of probability 0 must never be drawn; every other one must come up as often as expected, within
     * 5 standard deviations of the binomial count (a false alarm about once in 3 million runs).
     */
    private static void assertFrequencies(double[] expected, int[] counts) {
        for (int id = 0; id < expected.length; id++) {
            if (expected[id] == 0) {
                assertEquals(0, counts[id], "id " + id + " is outside the kept set but was drawn");
            } else {
                double mean = DRAWS * expected[id];
                double sigma = Math.sqrt(DRAWS * expected[id] * (1 - expected[id]));
                assertEquals(mean, counts[id], 5 * sigma + 1, "id " + id);
            }
        }
    }

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static double[] normalised(double[] weights) {
        double sum = Arrays.stream(weights).sum();
        return Arrays.stream(weights).map(w -> w / sum).toArray();
    }

    private static float[] randomLogits(Random random, int vocab) {
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        return logits;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
