package org.scratchgpt.curation.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchgpt.UserError;

class SplitChooserTest {
    @Test
    void splitsByTheAskedFractionsAndAlwaysTheSameWay() {
        SplitChooser chooser = new SplitChooser(0.1, 0.05);
        Map<String, Integer> counts = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String id = "corpus/file-" + i + ".txt";
            String split = chooser.splitOf(id);
            counts.merge(split, 1, Integer::sum);
            assertEquals(split, new SplitChooser(0.1, 0.05).splitOf(id), "the same id, the same split");
        }
        // binomial standard deviations: sqrt(n p (1-p)) = 42 for val, 31 for test; 5 of them as the margin
        assertEquals(0.10 * n, counts.get("val"), 5 * 42);
        assertEquals(0.05 * n, counts.get("test"), 5 * 31);
        assertEquals(List.of("train", "val", "test"), chooser.splits());
    }

    @Test
    void noValOrTestSplitWhenTheirFractionIsZero() {
        SplitChooser chooser = new SplitChooser(0, 0);

        assertEquals("train", chooser.splitOf("anything"));
        assertEquals(List.of("train"), chooser.splits());
    }

    @Test
    void refusesFractionsThatLeaveNothingToTrainOn() {
        assertThrows(UserError.class, () -> new SplitChooser(0.6, 0.4));
        assertThrows(UserError.class, () -> new SplitChooser(-0.1, 0));
    }
}
