package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.scratchgpt.bench.TorchEager;

/**
 * "A reported MFU above 100% is a failing test": every MFU that bench train prints, in every precision and on both
 * sides of --vs-torch, is a figure of at most 100%. Each side's MFU is against its own peak, measured in the
 * precision it computes in over the model's forward and backward product shapes; a figure above 100% is never
 * printed (the cell then says the peak was none).
 */
class BenchTrainMfuTest {
    /** A row of the table: implementation, ms/step, tokens/s, MFU. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (ScratchGPT|PyTorch)[^|]*\\| [^|]+ \\| [0-9,]+ \\|"
            + " ([^|]+) \\|");

    @Test
    void bf16MfuIsAgainstTheBf16PeakAndAtMostAHundredPercent() {
        CliRun run = CliRun.of("bench", "train", "--device", "cpu", "--precision", "bf16", "--steps", "2",
                "--warmup", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("bf16 matmul peak (DJL/libtorch, as the model's layers compute)"), run.out());
        assertEquals(List.of("ScratchGPT"), everyMfuAtMostAHundredPercent(run.out()));
    }

    @Test
    void bothSidesOfVsTorchAreAgainstTheirOwnPeak() {
        Assumptions.assumeTrue(TorchEager.available(), "python3 with torch is not installed");
        CliRun run = CliRun.of("bench", "train", "--device", "cpu", "--precision", "bf16", "--steps", "1",
                "--warmup", "1", "--vs-torch");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("bf16 matmul peak (PyTorch, the same shapes and precision): "), out);
        assertEquals(List.of("ScratchGPT", "PyTorch"), everyMfuAtMostAHundredPercent(out));
        assertTrue(Pattern.compile("(?m)^\\| ScratchGPT \\(DJL, libtorch 2.7.1\\) \\| [0-9.]+ \\([0-9.]+-[0-9.]+\\) \\|")
                .matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ScratchGPT / PyTorch: [0-9.]+x tokens/s, the ratio of the medians \\(single"
                + " rounds [0-9.]+x to [0-9.]+x over 3 rounds").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^PyTorch's BLAS: \\S").matcher(out).find(), out);
        assertTrue(out.contains("PyTorch's attention: written out"), out);
    }

    @Test
    void aStepThatBeatsItsPeakGetsNoFigure() {
        assertEquals("50.0%", BenchCommand.mfu(1, 2));
        assertEquals("- (beat the measured peak: busy machine, run again)", BenchCommand.mfu(2.01, 2));
    }

    /** The implementations whose MFU the output shows, after checking each is a percentage of at most 100. */
    private static List<String> everyMfuAtMostAHundredPercent(String out) {
        List<String> rows = new ArrayList<>();
        Matcher row = ROW.matcher(out);
        while (row.find()) {
            String mfu = row.group(2);
            assertTrue(mfu.matches("[0-9.]+%"), "MFU '" + mfu + "' is no figure: " + out);
            double percent = Double.parseDouble(mfu.substring(0, mfu.length() - 1));
            assertTrue(percent > 0 && percent <= 100, "MFU " + mfu + " against a peak: " + out);
            rows.add(row.group(1));
        }
        return rows;
    }
}
