package org.scratchgpt.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class WarmupCosineScheduleTest {

    // max 6e-4, min 6e-5, 10 warmup iterations, cosine until iteration 100
    private final WarmupCosineSchedule schedule = new WarmupCosineSchedule(6e-4, 6e-5, 10, 100);

    /** Values worked out by hand from nanoGPT's get_lr. */
    @Test
    void matchesNanoGptAtKeyIterations() {
        assertRate(6e-4 * 1 / 11, 0);        // first warmup step is not 0: (it + 1) / (warmup + 1)
        assertRate(6e-4 * 5 / 11, 4);
        assertRate(6e-4 * 10 / 11, 9);       // last warmup step, just below the peak
        assertRate(6e-4, 10);                // decay ratio 0: the peak
        assertRate(6e-5 + 0.75 * 5.4e-4, 40); // ratio 1/3, cos(pi/3) = 1/2, coefficient 3/4: 4.65e-4
        assertRate(3.3e-4, 55);              // ratio 1/2, coefficient 1/2: halfway between 6e-5 and 6e-4
        assertRate(6e-5 + 0.25 * 5.4e-4, 70); // ratio 2/3, cos(2pi/3) = -1/2, coefficient 1/4: 1.95e-4
        assertRate(6e-5, 100);               // ratio 1: the floor
        assertRate(6e-5, 101);
        assertRate(6e-5, 1_000_000);
    }

    @Test
    void decreasesAfterThePeak() {
        for (int it = 10; it < 100; it++) {
            assertTrue(schedule.learningRate(it + 1) < schedule.learningRate(it), "at " + it);
        }
    }

    @Test
    void noWarmupStartsAtThePeak() {
        assertEquals(1e-3, new WarmupCosineSchedule(1e-3, 1e-4, 0, 10).learningRate(0), 0);
    }

    /** DJL's optimizers (and AdamW) ask with the update number, 1 for the first: that is iteration 0. */
    @Test
    void djlUpdateNumberTIsIterationTMinusOne() {
        assertEquals((float) schedule.learningRate(0), schedule.getNewValue(1));
        assertEquals((float) schedule.learningRate(10), schedule.getNewValue(11));
        assertEquals((float) schedule.learningRate(55), schedule.getNewValue("any parameter", 56));
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        UserError decay = assertThrows(UserError.class, () -> new WarmupCosineSchedule(6e-4, 6e-5, 100, 100));
        assertTrue(decay.getMessage().contains("lr_decay_iters 100 must be greater than warmup_iters 100"),
                decay.getMessage());
        assertThrows(UserError.class, () -> new WarmupCosineSchedule(0, 0, 0, 10));
        assertThrows(UserError.class, () -> new WarmupCosineSchedule(Double.NaN, 0, 0, 10));
        assertThrows(UserError.class, () -> new WarmupCosineSchedule(6e-4, 6e-3, 0, 10));
        assertThrows(UserError.class, () -> new WarmupCosineSchedule(6e-4, -1, 0, 10));
        assertThrows(UserError.class, () -> new WarmupCosineSchedule(6e-4, 6e-5, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> schedule.learningRate(-1));
    }

    private void assertRate(double expected, int iteration) {
        assertEquals(expected, schedule.learningRate(iteration), 1e-15, "iteration " + iteration);
    }
}
