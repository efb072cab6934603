package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two sides alternate which goes first, and the figures are medians with their spread. */
class TakingTurnsTest {

    @Test
    void theSidesAlternateWhichGoesFirst() throws IOException {
        List<String> order = new ArrayList<>();
        TakingTurns turns = TakingTurns.take(3, () -> {
            order.add("ours");
            return 1;
        }, () -> {
            order.add("theirs");
            return 2;
        });
        assertEquals(List.of("ours", "theirs", "theirs", "ours", "ours", "theirs"), order);
        assertArrayEquals(new double[] {1, 1, 1}, turns.ours());
    }

    @Test
    void mediansSpreadAndTheRatioOfTheMedians() {
        TakingTurns turns = new TakingTurns(new double[] {0.6, 0.5, 0.7}, new double[] {0.66, 1.5, 0.7});

        assertEquals("600.0 (500.0-700.0)", TakingTurns.medianAndSpread(turns.ours(), 1000));
        assertEquals(0.7 / 0.6, turns.speedUp(), 1e-12);
        assertEquals("ScratchGPT / PyTorch: 1.17x tokens/s, the ratio of the medians (single rounds 1.0x to 3.0x over 3"
                + " rounds, which disagree: the machine is busy)", turns.ratioLine("tokens/s"));
    }
}
