package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run without a terminal writes, on a clock the test turns: clean lines, with the time left. */
class TrainingLogTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void slowStepsStillGetALineEveryThirtySeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        TrainingLog log = new TrainingLog(0, 10, false, 50, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                () -> now[0], () -> 0.0);
        log.onTrainingBegin(null);
        TrainingStep.Result result = new TrainingStep.Result(2.5, 1.0);
        for (int step = 0; step < 10; step++) {
            now[0] += 20 * SECOND; // a step of 20 seconds: the log interval (50) is never reached
            log.step(step, result, 1e-3, 100, 20);
        }
        assertEquals(List.of(
                "step 0/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 3m 00s",
                "step 2/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 2m 20s",
                "step 4/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 1m 40s",
                "step 6/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 1m 00s",
                "step 8/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 20s",
                "step 9/10 | loss 2.5000 | lr 1.00e-03 | 100 tok/s | ETA 0s"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
