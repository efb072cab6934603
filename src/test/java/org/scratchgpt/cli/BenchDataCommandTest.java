package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.curation.shards.PreparedDatasets;

/** {@code bench data}: a row of MB/s for every step of the data stage, on a small generated corpus. */
class BenchDataCommandTest {
    @TempDir Path dir;

    @Test
    void timesEveryStepFromReadingToTokenizing() throws Exception {
        Path tokenizer = dir.resolve("tok.json");
        PreparedDatasets.bpeTokenizer("the quick brown fox jumps over the lazy dog ".repeat(50), 300, tokenizer);

        CliRun run = CliRun.of("bench", "data", "--megabytes", "0.3", "--tokenizer", tokenizer.toString(), "--threads", "2");

        assertEquals(0, run.exitCode(), run.err());
        for (String step : List.of("read", "clean", "split + write", "tokenize")) {
            assertTrue(run.out().matches("(?s).*\\n" + java.util.regex.Pattern.quote(step)
                    + " +[0-9.]+ +[0-9.]+ +[0-9.]+\\n.*"), step + " row missing from:\n" + run.out());
        }
        assertTrue(run.out().contains("tokens per split {train="), run.out());
    }

    @Test
    void writesOnlyTheCorpusWhenAsked() throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");

        CliRun run = CliRun.of("bench", "data", "--megabytes", "0.2", "--write-corpus", corpus.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.size(corpus) >= 200_000, "at least the size asked for");
        assertTrue(Files.readAllLines(corpus).stream().allMatch(line -> line.startsWith("{\"id\":\"doc-")));
        assertTrue(run.out().startsWith("wrote "), run.out());
    }

}
