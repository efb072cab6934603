package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.scratchgpt.curation.shards.TokenShards;
import org.scratchgpt.tokenizer.BpeTokenizer;

/** {@code train --dataset DIR}: training on the token shards of a prepared dataset. */
class TrainOnDatasetTest {
    private static final String[] WORDS = {"the", "fox", "dog", "ran", "sat", "over", "under", "a", "red", "blue",
        "hill", "river", "and", "then", "slept", "quick", "lazy", "old", "tree", "sun"};
    /** The validation document; it starts with a letter, so nothing before it can merge with its first token. */
    private static final String VAL_TEXT = "Then the old fox ran home to sleep under the tree, and the lazy dog"
            + " ran after it over the hill until the sun went down.";
    private static final String[] TINY_MODEL = {"--set", "n_layer=2", "--set", "n_embd=32", "--set", "n_head=2",
        "--set", "context_length=8", "--set", "batch_size=4", "--set", "eval_interval=3", "--set", "eval_iters=1",
        "--quiet"};

    @TempDir Path dir;
    private Path tokenizerJson;
    private String trainText;

    /**
     * One text that is both a corpus file and a dataset of one train and one val document, built so that the two
     * give the same token streams.
     *
     * <p>{@code train --corpus} encodes the whole file into n tokens and keeps the first floor(9n/10) for training
     * and the rest for validation (TokenSplit, nanoGPT's 90/10 cut). {@code train --dataset} reads the train
     * split's tokens and the val split's; one document per split has no end-of-text token in it (the token goes
     * between documents). So with the file = train document + val document, the streams are the same when
     * (1) encoding the file gives the train document's ids followed by the val document's (no BPE merge across
     * the seam: the train document ends with "." and the val document starts with a letter, which GPT-2's split
     * pattern never joins), and (2) the train document has exactly floor(9n/10) of the n tokens: with m val
     * tokens that is any count in (9m - 10, 9m], reached by adding words one at a time. Both are asserted below.
     */
    @BeforeEach
    void buildTextAndTokenizer() throws IOException {
        tokenizerJson = dir.resolve("tokenizer.json");
        BpeTokenizer tokenizer = PreparedDatasets.bpeTokenizer(String.join(" ", WORDS).repeat(20) + VAL_TEXT, 320,
                tokenizerJson);
        int m = tokenizer.encode(VAL_TEXT).length;
        Random random = new Random(42);
        StringBuilder words = new StringBuilder("Once");
        while (tokenizer.encode(words + ".").length <= 9 * m - 10) {
            words.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        trainText = words + ".";
        int[] train = tokenizer.encode(trainText);
        int[] val = tokenizer.encode(VAL_TEXT);
        int[] whole = tokenizer.encode(trainText + VAL_TEXT);
        assertArrayEquals(IntStream.concat(IntStream.of(train), IntStream.of(val)).toArray(), whole, "(1) no merge");
        assertEquals(whole.length * 9 / 10, train.length, "(2) the 90% cut falls on the seam");
    }

    @Test
    void trainingOnTheDatasetGivesTheSameLossCurveAsOnTheTextAsOneFile() throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), trainText + VAL_TEXT, StandardCharsets.UTF_8);
        Path dataset = prepare(trainText);

        run("train", "--corpus", corpus.toString(), "--tokenizer", tokenizerJson.toString(), "--out",
                dir.resolve("on-corpus").toString(), "--set", "max_iters=6");
        run("train", "--dataset", dataset.toString(), "--out", dir.resolve("on-dataset").toString(), "--set",
                "max_iters=6");

        List<String> onCorpus = losses(dir.resolve("on-corpus"));
        assertEquals(6 + 3, onCorpus.size(), "6 steps and evaluations at 0, 3 and 6: " + onCorpus);
        assertEquals(onCorpus, losses(dir.resolve("on-dataset")));
    }

    @Test
    void aRunOnADatasetResumesOnItAndRefusesOneThatChanged() throws Exception {
        Path dataset = prepare(trainText);
        run("train", "--dataset", dataset.toString(), "--out", dir.resolve("run").toString(), "--set",
                "max_iters=3");
        Path latest = dir.resolve("run/latest");
        String state = Files.readString(latest.resolve("state.json"));
        assertTrue(state.contains("\"dataset\"") && state.contains("\"dataset_sha256\""), state);

        run("train", "--resume", latest.toString(), "--set", "max_iters=6", "--quiet");
        assertEquals(6 + 3, losses(dir.resolve("run")).size());

        prepare(trainText + " More text.");
        CliRun refused = CliRun.of("train", "--resume", latest.toString(), "--set", "max_iters=9", "--quiet",
                "--device", "cpu");
        CliAssertions.assertOneLineError(refused.exitCode(), refused.err(), "is not the one this run trained on");
    }

    @Test
    void aRunFolderOverOrInsideTheDatasetIsRefused() throws Exception {
        Path dataset = prepare(trainText);
        for (Path out : List.of(dataset, dataset.resolve("run"))) {
            CliRun refused = CliRun.of(concat(new String[] {"train", "--dataset", dataset.toString(), "--out",
                out.toString(), "--set", "max_iters=1", "--device", "cpu"}, TINY_MODEL));
            CliAssertions.assertOneLineError(refused.exitCode(), refused.err(), "--out " + out,
                    "--dataset " + dataset, "give --out a run folder outside the dataset");
        }
        assertTrue(Files.notExists(dataset.resolve("run")) && Files.notExists(dataset.resolve("latest")));
    }

    @Test
    void anotherTokenizerThanTheDatasetsIsRefused() throws Exception {
        Path dataset = prepare(trainText);
        Path other = dir.resolve("other.json");
        PreparedDatasets.bpeTokenizer(VAL_TEXT.repeat(3), 300, other);

        CliRun refused = CliRun.of(concat(new String[] {"train", "--dataset", dataset.toString(), "--tokenizer",
            other.toString(), "--out", dir.resolve("run").toString(), "--set", "max_iters=1", "--device", "cpu"}, TINY_MODEL));

        CliAssertions.assertOneLineError(refused.exitCode(), refused.err(), "tokenized with another tokenizer",
                "leave out --tokenizer");
    }

    @Test
    void dataPrepareWithATokenizerMakesADatasetThatTrainsEndToEnd() throws Exception {
        Path input = dir.resolve("input");
        List<String> documents = IntStream.range(0, 60).mapToObj(TrainOnDatasetTest::story).toList();
        PreparedDatasets.writeSplit(input, "raw", "docs.jsonl", documents); // a JSON lines input of 60 documents
        Path out = dir.resolve("prepared");

        CliRun prepared = CliRun.of("data", "prepare", "--input", input.resolve("raw/docs.jsonl").toString(), "--out",
                out.toString(), "--tokenizer", tokenizerJson.toString(), "--val-fraction", "0.2", "--threads", "2");
        assertEquals(0, prepared.exitCode(), prepared.err());
        run("train", "--dataset", out.toString(), "--out", dir.resolve("run").toString(), "--set", "max_iters=3");

        assertEquals(3 + 2, losses(dir.resolve("run")).size(), "3 steps and evaluations at 0 and 3");
        assertTrue(Files.readString(out.resolve("report.json")).contains("\"tokens\""));
    }

    /** A document of 100 random words of the vocabulary: long enough for the quality filter, unlike any other. */
    private static String story(int seed) {
        Random random = new Random(seed);
        StringBuilder story = new StringBuilder("Once");
        for (int i = 0; i < 100; i++) {
            story.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return story + ".";
    }

    private Path prepare(String trainDocument) throws IOException {
        Path dataset = dir.resolve("dataset");
        PreparedDatasets.writeSplit(dataset, "train", "part-00000.jsonl.gz", List.of(trainDocument));
        PreparedDatasets.writeSplit(dataset, "val", "part-00000.jsonl.gz", List.of(VAL_TEXT));
        TokenShards.tokenize(dataset, tokenizerJson, new TokenShards.Options(2, 50, false)); // several shards
        return dataset;
    }

    /** Every loss the run logged, in order: step losses and gradient norms, evaluations' train and val losses. */
    private static List<String> losses(Path runDir) throws IOException {
        List<String> losses = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            String kind = json.get("kind").getAsString();
            losses.add(kind.equals("eval")
                    ? "eval " + json.get("step") + " " + json.get("train_loss") + " " + json.get("val_loss")
                    : kind + " " + json.get("step") + " " + json.get("loss") + " " + json.get("grad_norm"));
        }
        return losses;
    }

    private static void run(String... args) {
        String[] all = args[1].equals("--resume") ? args : concat(args, TINY_MODEL);
        CliRun result = CliRun.of(all);
        assertEquals(0, result.exitCode(), result.err());
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
