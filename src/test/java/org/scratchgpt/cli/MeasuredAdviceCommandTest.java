package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.scratchgpt.model.Precision;
import org.scratchgpt.plan.PrecisionSpeed;
import org.scratchgpt.plan.SpeedRatio;

/**
 * Measurements that drive advice, through the real command line: bench train's peak is one (the best of warmed
 * products over squares and the model's own shapes), so MFU never reads above 100%; bench generate's speed-up comes
 * with the spread of its rounds; plan keeps float32 when the rounds disagree.
 */
class MeasuredAdviceCommandTest {
    private static final Pattern MFU = Pattern.compile("\\| ScratchGPT \\(DJL, libtorch [^|]+\\| [0-9.]+ \\| [0-9,]+ \\|"
            + " ([0-9.]+)% \\|");

    @Test
    void benchTrainsPeakIsTheBestOfTheModelsShapesAndMfuStaysAtMostAHundredPercent() {
        CliRun run = CliRun.of("bench", "train", "--device", "cpu", "--steps", "3", "--warmup", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Pattern.compile("(?m)^fp32 matmul peak \\(DJL/libtorch, as the model's layers compute\\): [0-9.]+"
                + " GFLOP/s, the best of 3 warmed products of each of 15 shapes \\(squares and the model's own\\)$")
                .matcher(run.out()).find(), run.out());
        Matcher mfu = MFU.matcher(run.out());
        assertTrue(mfu.find(), run.out());
        double percent = Double.parseDouble(mfu.group(1));
        assertTrue(percent > 0 && percent <= 100, String.format(Locale.ROOT, "MFU %.1f%% against a peak: %s", percent,
                run.out()));
    }

    @Test
    void benchGenerateGivesTheSpeedUpWithTheSpreadOfItsRounds() {
        CliRun run = CliRun.of("bench", "generate", "--device", "cpu", "--models", "baby", "--lengths", "3",
                "--prompt-tokens", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Pattern.compile("(?m)^\\| baby \\| 2 \\+ 3 \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.]+x \\| [0-9.]+x to"
                + " [0-9.]+x over [3-5] rounds(, which disagree: the machine is busy)? \\|").matcher(run.out()).find(),
                run.out());
    }

    @Test
    void planKeepsFloat32WhenTheRoundsDisagree() {
        SpeedRatio swinging = SpeedRatio.of(new double[] {1, 1, 1, 1}, new double[] {13, 0.33, 6.6, 0.28}, 4);
        assertEquals("bf16 multiplies at 0.28x float32 here (measured), 0.28x to 13x over 4 rounds, which disagree: the"
                + " machine is busy, so the plan keeps float32",
                PlanCommand.bf16Note(new PrecisionSpeed(Precision.BF16, swinging)));
    }
}
