package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a run without a terminal writes a line, and the time left in it, on a clock the test turns. */
class ProgressLinesTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLineComesEveryLogIntervalOnTheLastStepAndAtLeastEveryThirtySeconds() {
        ProgressLines lines = new ProgressLines(0, 1000, 50, 0);
        assertTrue(lines.due(0, SECOND));
        assertFalse(lines.due(1, 2 * SECOND));
        assertTrue(lines.due(50, 3 * SECOND), "the log interval");
        assertFalse(lines.due(51, 32 * SECOND), "29 seconds after the last line");
        assertTrue(lines.due(52, 33 * SECOND), "30 seconds after the last line, between intervals");
        assertFalse(lines.due(53, 34 * SECOND));
        assertTrue(lines.due(999, 35 * SECOND), "the last step");
    }

    @Test
    void theTimeLeftFollowsThePaceSinceTheStart() {
        ProgressLines lines = new ProgressLines(0, 100, 50, 0);
        assertEquals("ETA 1m 30s", lines.eta(9, 10 * SECOND), "10 steps in 10 s, 90 left");
        ProgressLines resumed = new ProgressLines(50, 100, 50, 0);
        assertEquals("ETA 45s", resumed.eta(54, 5 * SECOND), "counted from the resumed step");
        assertEquals("ETA 0s", lines.eta(99, 100 * SECOND));
        assertEquals("2h 05m", ProgressLines.duration(7500));
    }
}
