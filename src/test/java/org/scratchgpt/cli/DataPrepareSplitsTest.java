package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.curation.shards.PreparedDatasets;

/**
 * {@code data prepare} then {@code train --dataset} on a corpus of a few documents: the hash that picks each
 * document's split may leave val (or train) empty, and training needs both. With two documents or more prepare
 * moves one and says so; with one it refuses; a dataset without val (asked for with --val-fraction 0) is refused by
 * train with the fix named.
 */
class DataPrepareSplitsTest {
    private static final String[] WORDS = {"the", "fox", "dog", "ran", "sat", "over", "under", "a", "red", "blue",
        "hill", "river", "and", "then", "slept", "quick", "lazy", "old", "tree", "sun"};
    private static final String[] TINY_MODEL = {"--set", "n_layer=2", "--set", "n_embd=32", "--set", "n_head=2",
        "--set", "context_length=8", "--set", "batch_size=4", "--set", "max_iters=2", "--set", "eval_interval=2",
        "--set", "eval_iters=1", "--quiet", "--device", "cpu"};

    @TempDir Path dir;
    private Path tokenizerJson;

    @BeforeEach
    void tokenizer() throws IOException {
        tokenizerJson = dir.resolve("tokenizer.json");
        PreparedDatasets.bpeTokenizer(String.join(" ", WORDS).repeat(20), 300, tokenizerJson);
    }

    @Test
    void whenTheHashGivesValNothingOneTrainDocumentGoesThereAndTrainingRuns() throws Exception {
        Path out = dir.resolve("prepared");
        // a val fraction of one in a million: by their hash, all three documents would be train's
        CliRun prepared = prepare(documents(3), out, "--val-fraction", "0.000001");
        assertEquals(0, prepared.exitCode(), prepared.err());
        assertTrue(prepared.out().contains("the val split got none of the 3 documents by their hash: the last train"
                + " document, "), prepared.out());
        assertTrue(prepared.out().contains("(train 2, val 1, test 0)"), prepared.out());
        assertTrue(Files.readString(out.resolve("report.md")).contains("Note: the val split got none"));

        CliRun trained = CliRun.of(withTinyModel("train", "--dataset", out.toString(), "--out",
                dir.resolve("run").toString()));
        assertEquals(0, trained.exitCode(), trained.err());
    }

    @Test
    void whenTheHashGivesTrainNothingOneValDocumentGoesThere() throws Exception {
        CliRun prepared = prepare(documents(3), dir.resolve("prepared"), "--val-fraction", "0.999999");
        assertEquals(0, prepared.exitCode(), prepared.err());
        assertTrue(prepared.out().contains("the train split got none of the 3 documents by their hash"), prepared.out());
        assertTrue(prepared.out().contains("(train 1, val 2, test 0)"), prepared.out());
    }

    @Test
    void oneDocumentCannotFillTwoSplitsAndIsRefused() throws Exception {
        Path out = dir.resolve("prepared");
        CliRun refused = prepare(documents(1), out);
        assertOneLineError(refused.exitCode(), refused.err(), "1 document reached the splits (train",
                "training needs one in train and one in val: give two documents or more", "split -l 1000",
                "scratchgpt train --corpus FILE");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aDatasetWithoutValIsRefusedByTrainWithTheFix() throws Exception {
        Path out = dir.resolve("prepared");
        CliRun prepared = prepare(documents(3), out, "--val-fraction", "0");
        assertEquals(0, prepared.exitCode(), prepared.err());

        CliRun refused = CliRun.of(withTinyModel("train", "--dataset", out.toString(), "--out",
                dir.resolve("run").toString()));
        assertOneLineError(refused.exitCode(), refused.err(), "has no val tokens", "--out " + out + " --force",
                "--val-fraction above 0", "scratchgpt train --corpus FILE");
    }

    private CliRun prepare(List<String> documents, Path out, String... more) throws IOException {
        Path input = dir.resolve("input");
        PreparedDatasets.writeSplit(input, "raw", "docs.jsonl", documents);
        List<String> args = new ArrayList<>(List.of("data", "prepare", "--input", input.resolve("raw/docs.jsonl")
                .toString(), "--out", out.toString(), "--tokenizer", tokenizerJson.toString(), "--threads", "1"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** {@code count} documents of 100 random words: long enough for the quality filter, unlike each other. */
    private static List<String> documents(int count) {
        return IntStream.range(0, count).mapToObj(seed -> {
            Random random = new Random(seed);
            StringBuilder story = new StringBuilder("Once");
            for (int i = 0; i < 100; i++) {
                story.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            return story + ".";
        }).toList();
    }

    private static String[] withTinyModel(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(TINY_MODEL));
        return all.toArray(String[]::new);
    }
}
