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
        "bench tokenizer --text none.txt --runs 0   | --runs 0 must be at least 1: give how many timed runs",
        "bench tokenizer --text none.txt --runs -2  | --runs -2 must be at least 1"})
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
}
