package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample --num-samples N} for a large N: the samples come a batch at a time, each batch printed when done, so
 * the first appear at once and memory stays that of one batch (all 100,000 as one batch grew to a 24 GB machine's
 * memory and were killed, having printed nothing).
 */
class ManySamplesTest {
    @TempDir Path dir;

    @Test
    void aHundredThousandSamplesStartComingAtOnce() throws Exception {
        Path checkpoint = TinyRun.train(dir, "run", 16, 2, 2);
        // 40 tokens with a context of 16: past the window every step runs 16 positions, as a long sample does.
        ForkedJvm sample = ForkedJvm.scratchgptReadByTest(dir, Files.writeString(dir.resolve("no-input.txt"), ""),
                "sample", "--checkpoint", checkpoint.toString(), "--num-samples", "100000", "--max-tokens", "40",
                "--device", "cpu");
        ClosedOutputTest.readThenLeave(sample, 400, 90);
    }

    /** Sample i is the text of a single sample with seed + i, in the first batch and in a later one alike. */
    @Test
    void eachSampleOfEachBatchIsItsSeedsText() throws Exception {
        String checkpoint = TinyRun.train(dir, "run", 16, 2, 2).toString();
        int count = SampleCommand.SAMPLES_PER_BATCH + 2;
        CliRun all = CliRun.of("sample", "--checkpoint", checkpoint, "--prompt", "to be", "--max-tokens", "12",
                "--seed", "5", "--num-samples", String.valueOf(count));
        assertEquals(0, all.exitCode(), all.err());
        for (int i : new int[] {0, SampleCommand.SAMPLES_PER_BATCH + 1}) {
            CliRun alone = CliRun.of("sample", "--checkpoint", checkpoint, "--prompt", "to be", "--max-tokens", "12",
                    "--seed", String.valueOf(5 + i));
            String expected = "--- sample " + (i + 1) + " of " + count + " (seed " + (5 + i) + ") ---"
                    + System.lineSeparator() + alone.out();
            assertTrue(all.out().contains(expected), expected + " in " + all.out());
        }
        assertEquals(count, all.out().lines().filter(line -> line.startsWith("--- sample ")).count());
    }
}
