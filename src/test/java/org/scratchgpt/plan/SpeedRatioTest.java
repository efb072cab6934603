package org.scratchgpt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Precision;

/** The decision behind measured advice, on timings the test gives: no advice on noise, and a busy machine named. */
class SpeedRatioTest {

    @Test
    void roundsThatSwingLikeTheIssuesRecommendNothingAndSayTheMachineIsBusy() {
        // Four identical plan runs once read bf16 at 13x, 0.33x, 6.6x and 0.28x float32: as rounds of one run,
        // (float32 seconds / bf16 seconds) with bf16 taking 1 s.
        SpeedRatio swinging = SpeedRatio.of(new double[] {1, 1, 1, 1}, new double[] {13, 0.33, 6.6, 0.28}, 4);
        assertFalse(swinging.faster());
        assertFalse(swinging.slower());
        assertTrue(swinging.busy());
        PrecisionSpeed bf16 = new PrecisionSpeed(Precision.BF16, swinging);
        assertEquals("bf16 multiplies at 0.28x float32 here (measured), 0.28x to 13x over 4 rounds, which disagree:"
                + " the machine is busy", bf16.measured());
        assertEquals(java.util.Optional.empty(), bf16.trainingWarning());
    }

    @Test
    void onlyAWholeSpreadOnOneSideOfOneIsAnAnswer() {
        SpeedRatio faster = SpeedRatio.of(new double[] {1.0, 1.1, 1.0}, new double[] {4.0, 4.2, 3.9}, 3);
        assertTrue(faster.faster());
        assertFalse(faster.busy());
        assertEquals("3.9x", faster.figure(), "each side's best: 3.9 s over 1.0 s");
        assertEquals("3.8x to 4.0x over 3 rounds", faster.spread());

        SpeedRatio straddling = SpeedRatio.of(new double[] {1, 1, 1}, new double[] {1.3, 0.95, 1.2}, 3);
        assertFalse(straddling.faster(), "one round found it slower");
        assertFalse(straddling.slower());

        SpeedRatio slower = SpeedRatio.of(new double[] {2, 2.1, 2}, new double[] {1, 1, 1.05}, 3);
        assertTrue(slower.slower());
    }

    @Test
    void theSidesAlternateAndTheRoundsStopWhenTheBestOfRatioSettles() {
        List<String> order = new ArrayList<>();
        DoubleSupplier candidate = recorded(order, "c", 1.0);
        DoubleSupplier baseline = recorded(order, "b", 2.0);
        SpeedRatio ratio = SpeedRatio.measure(candidate, baseline, new SpeedRatio.Rounds(3, 9, 60));
        assertEquals(List.of("c", "b", "b", "c", "c", "b", "b", "c"), order, "warm-ups, then alternating rounds");
        assertEquals(3, ratio.rounds(), "settled after the fewest rounds");
        assertEquals(2.0, ratio.ratio());
    }

    @Test
    void aRatioThatKeepsMovingGetsMoreRoundsUpToTheMost() {
        double[] candidate = {9, 9, 8, 4, 2, 1, 0.5, 0.25, 0.2, 0.1, 0.05};
        int[] calls = {0};
        SpeedRatio ratio = SpeedRatio.measure(() -> candidate[calls[0]++], () -> 1.0, new SpeedRatio.Rounds(3, 9, 60));
        assertEquals(9, ratio.rounds());
    }

    private static DoubleSupplier recorded(List<String> order, String name, double seconds) {
        return () -> {
            order.add(name);
            return seconds;
        };
    }
}
