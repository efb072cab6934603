package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The benchmarks' counts are checked before any work: nothing is printed (not even the machine line that comes
 * before the matrix-multiply peak), and the missing text of {@code bench tokenizer} is never read.
 */
class BenchCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bench train --device cpu --steps 0         | --steps 0 must be at least 1: give how many steps to time",
        "bench train --device cpu --steps -3        | --steps -3 must be at least 1",
        "bench train --device cpu --warmup -1       | --warmup -1 must be at least 0: give how many untimed steps",
        "bench train --device cpu --vs-torch --precision fp16 | --vs-torch is not compared in fp16: PyTorch 1.13"
            + " autocasts only to bf16 on a CPU; use --precision bf16 or fp32",
        "bench train --device cpu --ablation --profile | --ablation times its own rows: run --vs-torch or --profile",
        "bench tokenizer --text none.txt --runs 0   | --runs 0 must be at least 1: give how many timed runs",
        "bench tokenizer --text none.txt --runs -2  | --runs -2 must be at least 1",
        "bench generate --device cpu --lengths 8,0  | --lengths 0 must be at least 1: give new tokens per generation",
        "bench generate --device cpu --prompt-tokens 0 | --prompt-tokens 0 must be at least 1",
        "bench generate --device cpu --models nope  | unknown preset 'nope'",
        "bench generate --device cpu --vs-torch --precision fp16 | --vs-torch is not compared in fp16: PyTorch"
            + " multiplies float16 on a CPU at about 1 GFLOP/s; use --precision bf16 or fp32",
        "bench generate --device cpu --quantize int4 | unknown --quantize 'int4': use int8",
        "bench finetune --device cpu --steps 0      | --steps 0 must be at least 1: give how many steps to time",
        "bench finetune --device cpu --warmup -1    | --warmup -1 must be at least 0",
        "bench finetune --device cpu --preset nope  | unknown preset 'nope'",
        "bench dedup --runs 0                       | --runs 0 must be at least 1: give how many timed passes",
        "bench dedup --documents -1                 | --documents -1 must be at least 0",
        "bench dedup --megabytes 0                  | --megabytes must be more than 0, got 0.0",
        "bench dedup --megabytes 1e9                | --megabytes 1.0E9 is a corpus larger than the Java heap"})
    void aCountOutOfRangeIsOneLineBeforeAnyWork(String command, String expected) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute(command.split(" "));

        CliAssertions.assertOneLineError(exitCode, err.toString(), expected);
        assertEquals("", out.toString());
    }

    /** A quick run on baby's shape: the bandwidth line and one row per length, both paths timed. */
    @org.junit.jupiter.api.Test
    void generateTimesBothPathsSideBySide() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("bench", "generate", "--device", "cpu", "--models", "baby", "--lengths", "3,5",
                "--prompt-tokens", "2");

        assertEquals(0, exitCode, err.toString());
        String text = out.toString();
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("memory bandwidth (sum of a 512 MB float32 array"), text);
        org.junit.jupiter.api.Assertions.assertTrue(text.matches("(?s).*\\| baby \\| 2 \\+ 3 \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.]+x \\|.*"), text);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("| baby | 2 + 5 |"), text);
    }
}
