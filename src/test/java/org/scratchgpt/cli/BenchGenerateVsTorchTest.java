package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.scratchgpt.bench.TorchEager;

/** bench generate --vs-torch: one row per length, both sides' tokens/s as medians with spread, and the ratio. */
class BenchGenerateVsTorchTest {

    @Test
    void bf16GenerationTakesTurnsWithPyTorchsBf16Weights() {
        Assumptions.assumeTrue(TorchEager.available(), "python3 with torch is not installed");
        CliRun run = CliRun.of("bench", "generate", "--device", "cpu", "--models", "baby", "--lengths", "3",
                "--prompt-tokens", "2", "--uncached-up-to", "0", "--precision", "bf16", "--vs-torch");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("baby against PyTorch "), out);
        assertTrue(out.contains(" threads, bf16 weights: 3 rounds taking turns"), out);
        assertTrue(Pattern.compile("(?m)^PyTorch's BLAS: \\S").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^\\| baby \\| 2 \\+ 3 \\| [0-9.]+ \\([0-9.]+-[0-9.]+\\) \\| [0-9.]+"
                + " \\([0-9.]+-[0-9.]+\\) \\| [0-9.]+x \\| [0-9.]+x to [0-9.]+x over 3 rounds").matcher(out).find(), out);
    }
}
