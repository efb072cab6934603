package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.Gpus;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import picocli.CommandLine;

/** The main job through the real command line: train a tiny model, then sample from it; and its errors. */
class TrainAndSampleCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = org.scratchgpt.cli.ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path corpus() throws Exception {
        return Files.writeString(dir.resolve("corpus.txt"),
                "to be or not to be, that is the question: whether 'tis nobler in the mind to suffer\n".repeat(30));
    }

    private static final String[] TINY = {"--set", "n_layer=1", "--set", "n_embd=32", "--set", "n_head=2",
        "--set", "context_length=16", "--set", "batch_size=4", "--set", "max_iters=6", "--set", "eval_interval=3",
        "--set", "eval_iters=2", "--quiet"};

    private String[] trainArgs(String... extra) throws Exception {
        return trainArgsInto(dir.resolve("run"), extra);
    }

    /** The tiny run of {@link #trainArgs}, into the run folder {@code out}. */
    private String[] trainArgsInto(Path out, String... extra) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--corpus",
                corpus().toString(), "--out", out.toString()));
        args.addAll(java.util.List.of(TINY));
        args.addAll(java.util.List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainsThenSamples() throws Exception {
        assertEquals(0, run(trainArgs()), err.toString());
        assertTrue(out.toString().contains("trained 6 steps"), out.toString());
        assertTrue(Files.isDirectory(dir.resolve("run/best")), "a best checkpoint");

        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "to be",
                "--max-tokens", "25", "--seed", "3"), err.toString());
        String sample = out.toString().strip();
        assertTrue(sample.startsWith("to be") && sample.length() == "to be".length() + 25, sample);

        // The KV cache (the default) changes the speed, not the text.
        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "to be",
                "--max-tokens", "25", "--seed", "3", "--no-kv-cache"), err.toString());
        assertEquals(sample, out.toString().strip());
    }

    /** Three samples in one batch: each under its own header, sample i as if sampled alone with seed + i. */
    @Test
    void severalSamplesComeAsOneBatchEachUnderItsHeader() throws Exception {
        assertEquals(0, run(trainArgs()), err.toString());
        String checkpoint = dir.resolve("run/best").toString();
        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", checkpoint, "--prompt", "to be", "--max-tokens", "25",
                "--seed", "3", "--num-samples", "3"), err.toString());
        String batch = out.toString();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            out.getBuffer().setLength(0);
            assertEquals(0, run("sample", "--checkpoint", checkpoint, "--prompt", "to be", "--max-tokens", "25",
                    "--seed", String.valueOf(3 + i)), err.toString());
            expected.append("--- sample ").append(i + 1).append(" of 3 (seed ").append(3 + i).append(") ---")
                    .append(System.lineSeparator()).append(out);   // the sample as printed alone
        }
        assertEquals(expected.toString(), batch);
        err.getBuffer().setLength(0);
        assertOneLineError("--num-samples must be 1 or more, got 0", "sample", "--checkpoint", checkpoint,
                "--num-samples", "0");
    }

    @Test
    void resumeContinuesTheRun() throws Exception {
        assertEquals(0, run(trainArgs()), err.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("train", "--resume", dir.resolve("run/latest").toString(), "--set", "max_iters=9", "--quiet"),
                err.toString());
        assertTrue(out.toString().contains("trained 9 steps"), out.toString());
    }

    @Test
    void aRunTrainedInBf16SamplesInAnyPrecisionAndKernel() throws Exception {
        assertEquals(0, run(trainArgs("--precision", "bf16")), err.toString());
        assertTrue(Files.readString(dir.resolve("run/latest/state.json")).contains("\"precision\": \"bf16\""));
        for (String[] compute : new String[][] {{"--precision", "bf16"}, {"--attention", "explicit"}, {}}) {
            out.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of("sample", "--checkpoint", dir.resolve("run/best").toString(),
                    "--prompt", "to be", "--max-tokens", "10"));
            args.addAll(List.of(compute));
            assertEquals(0, run(args.toArray(String[]::new)), err.toString());
            assertEquals("to be".length() + 10, out.toString().strip().length(), out.toString());
        }
        err.getBuffer().setLength(0);
        assertOneLineError("unknown precision 'fp8'", trainArgs("--precision", "fp8"));
    }

    @Test
    void everythingRunsOnAnExplicitCpuDevice() throws Exception {
        assertEquals(0, run(trainArgs("--device", "cpu")), err.toString());
        assertTrue(out.toString().contains("trained 6 steps"), out.toString());
        assertEquals(0, run("train", "--resume", dir.resolve("run/latest").toString(), "--set", "max_iters=9", "--quiet",
                "--device", "cpu"), err.toString());
        assertTrue(out.toString().contains("trained 9 steps"), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "to be",
                "--max-tokens", "10", "--device", "cpu"), err.toString());
        assertEquals("to be".length() + 10, out.toString().strip().length(), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("bench", "train", "--device", "cpu", "--set", "n_layer=1", "--set", "n_embd=32",
                "--set", "n_head=2", "--set", "context_length=16", "--set", "batch_size=2", "--steps", "1",
                "--warmup", "0"), err.toString());
        assertTrue(out.toString().contains("; device cpu") && out.toString().contains("| ScratchGPT"), out.toString());
        assertTrue(!err.toString().contains("device:"), "only auto reports its pick: " + err);
    }

    @Test
    void autoSaysWhichDeviceItPicked() throws Exception {
        assertEquals(0, run(trainArgs()), err.toString());
        assertTrue(err.toString().startsWith("device: cpu (--device auto: this process runs the CPU libtorch"),
                err.toString());
    }

    @Test
    void devicesShowsTheLibtorchAndTheGpus() {
        assertEquals(0, run("devices"), err.toString());
        assertTrue(out.toString().startsWith("libtorch 2.7.1, CPU build ("), out.toString());
        assertTrue(out.toString().contains("GPUs: none\n--device auto picks cpu"), out.toString());
    }

    @Test
    void aGpuOnTheCpuLibtorchIsOneClearLine() throws Exception {
        assertOneLineError("--device cuda: this process runs DJL's CPU libtorch", trainArgs("--device", "cuda"));
        err.getBuffer().setLength(0);
        assertOneLineError("--device tpu is not a device", trainArgs("--device", "tpu"));
    }

    @Test
    @Tag(Gpus.TAG)
    void onAGpuAutoPicksItAndItsCheckpointSamplesOnTheCpu() throws Exception {
        Gpus.require();
        assertEquals(0, run("devices"), err.toString());
        assertTrue(out.toString().contains("CUDA build cu128") && out.toString().contains("GPUs: cuda:0"), out.toString());
        assertTrue(out.toString().contains("--device auto picks cuda:0"), out.toString());

        assertEquals(0, run(trainArgs()), err.toString());
        assertTrue(err.toString().startsWith("device: cuda:0 (--device auto: the first of "), err.toString());
        for (String device : new String[] {"cpu", "cuda"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run("sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "to be",
                    "--max-tokens", "10", "--device", device), err.toString());
            assertEquals("to be".length() + 10, out.toString().strip().length(), device + ": " + out);
        }

        out.getBuffer().setLength(0);
        assertEquals(0, run("bench", "train", "--device", "cuda", "--steps", "2", "--warmup", "1"), err.toString());
        assertTrue(out.toString().contains("; device cuda:0") && out.toString().contains("| ScratchGPT"), out.toString());
    }

    @Test
    void checkpointActivationsIsKeptOnResumeUntilTurnedOff() throws Exception {
        Path state = dir.resolve("run/latest/state.json");
        String resume = dir.resolve("run/latest").toString();
        assertEquals(0, run(trainArgs("--checkpoint-activations")), err.toString());
        assertTrue(Files.readString(state).contains("\"checkpoint_activations\": true"), Files.readString(state));

        assertEquals(0, run("train", "--resume", resume, "--set", "max_iters=9", "--quiet"), err.toString());
        assertTrue(Files.readString(state).contains("\"checkpoint_activations\": true"), "kept: " + Files.readString(state));

        assertEquals(0, run("train", "--resume", resume, "--set", "max_iters=12", "--no-checkpoint-activations", "--quiet"),
                err.toString());
        assertTrue(Files.readString(state).contains("\"checkpoint_activations\": false"), Files.readString(state));
        assertTrue(out.toString().contains("trained 12 steps"), out.toString());
    }

    private void assertOneLineError(String expected, String... args) {
        assertOneLineErrorWith(new String[] {expected}, args);
    }

    /** {@code args} with the value of {@code option} replaced. */
    private static String[] replaced(String[] args, String option, String value) {
        List<String> list = new ArrayList<>(List.of(args));
        list.set(list.indexOf(option) + 1, value);
        return list.toArray(String[]::new);
    }

    /** A user error, with standard error cleared first so that it holds only this run's lines. */
    private void assertOneLineErrorWith(String[] expected, String... args) {
        err.getBuffer().setLength(0);
        CliAssertions.assertOneLineError(run(args), err.toString(), expected);
    }

    @Test
    void userErrorsAreOneClearLine() throws Exception {
        assertOneLineError("unknown preset 'huge'", "train", "--preset", "huge", "--corpus", corpus().toString());
        err.getBuffer().setLength(0);
        assertOneLineError("unknown field 'layers'", trainArgs("--set", "layers=2"));
        err.getBuffer().setLength(0);
        assertOneLineError("is not divisible by n_head 5", trainArgs("--set", "n_head=5"));
        err.getBuffer().setLength(0);
        assertOneLineError("checkpoint " + dir.resolve("none") + " not found", "sample", "--checkpoint",
                dir.resolve("none").toString());
    }

    @Test
    void settingsAreRefusedAsWrittenBeforeAnyWork() throws Exception {
        assertOneLineError("seed must be a whole number, got '1.5'", trainArgs("--set", "seed=1.5"));
        assertOneLineError("batch_size must be at least 1, got 0", trainArgs("--set", "batch_size=0"));
        assertFalse(err.toString().contains("0.0"), "a whole number is shown as one: " + err);
        assertOneLineError("learning_rate must be a finite number such as 0.1, got 'Infinity'",
                trainArgs("--set", "learning_rate=Infinity"));
        assertOneLineError("learning_rate must be a finite number such as 0.1, got 'NaN'",
                trainArgs("--set", "learning_rate=NaN"));
        assertOneLineError("n_layer 99999999999 is too large: at most 2147483647",
                trainArgs("--set", "n_layer=99999999999"));
        Path config = Files.writeString(dir.resolve("config.json"), "{\"min_lr\": 1e999}");
        assertOneLineError("min_lr must be a finite number such as 0.1, got '1e999'",
                trainArgs("--config", config.toString()));
        assertOneLineError("--log-interval 0 must be at least 1: give how many steps between log lines",
                trainArgs("--log-interval", "0"));
        assertFalse(Files.exists(dir.resolve("run")), "refused before the run folder was made");
    }

    @Test
    void aPromptCharacterOutsideTheVocabularyIsNamedWithTheFixForAPrompt() throws Exception {
        assertEquals(0, run(trainArgs("--device", "cpu")), err.toString());
        assertOneLineErrorWith(new String[] {"character 5 of the prompt, 'é' (U+00E9), is not in this model's"
                + " vocabulary of", "change the prompt to use only characters of the text the model was trained on"},
                "sample", "--checkpoint", dir.resolve("run/best").toString(), "--prompt", "to bé", "--device", "cpu");
        assertFalse(err.toString().contains("rebuild"), err.toString());
    }

    @Test
    void aCorpusCharacterOutsideAGivenCharTokenizerSaysToRebuildIt() throws Exception {
        Path chars = dir.resolve("chars.json");
        TokenizerJson.save(CharTokenizer.fromText("to be or not"), chars);
        assertOneLineErrorWith(new String[] {"character 19 of the text, ',' (U+002C), is not in this character-level"
                + " vocabulary of 7 characters: rebuild the tokenizer on a text that contains it"},
                trainArgs("--device", "cpu", "--tokenizer", chars.toString()));
    }

    @Test
    void aRunFolderThatCannotBeWrittenIsNamedWithWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertOneLineError("cannot write the run folder " + file + ": it is a file, not a folder: give --out a folder,"
                + " or a path where one can be made", trainArgsInto(file));
        assertOneLineError("cannot write the run folder " + file.resolve("run") + ": " + file + " is a file, not a"
                + " folder", trainArgsInto(file.resolve("run")));
    }

    @Test
    void aFileOrFolderInTheWrongPlaceIsNamedWithWhatToPassInstead() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path missing = dir.resolve("none.json");
        assertOneLineError("config file " + folder + " is a folder: give --config the path of a JSON file of field"
                + " overrides", trainArgs("--config", folder.toString()));
        assertOneLineError("config file " + missing + " not found: give --config the path of a JSON file",
                trainArgs("--config", missing.toString()));
        assertOneLineError("corpus file " + folder + " is a folder: pass the text file inside it",
                replaced(trainArgs("--device", "cpu"), "--corpus", folder.toString()));
        assertOneLineError("tokenizer file " + folder + " is a folder: give the tokenizer.json inside it",
                trainArgs("--device", "cpu", "--tokenizer", folder.toString()));
        assertOneLineError("tokenizer file " + missing + " not found", trainArgs("--device", "cpu", "--tokenizer",
                missing.toString()));
        assertOneLineError("checkpoint " + file + " is a file: give the checkpoint's folder", "sample", "--checkpoint",
                file.toString());
        assertOneLineError("checkpoint " + file + " is a file", "train", "--resume", file.toString(), "--device", "cpu");
    }

    @Test
    void aRunThatFailsBeforeItsFirstCheckpointLeavesNoFolderItMade() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "café ".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        Path models = dir.resolve("models");
        String[] args = replaced(trainArgsInto(models.resolve("run"), "--device", "cpu"), "--corpus", latin1.toString());
        assertOneLineError("is not valid UTF-8", args);
        assertFalse(Files.exists(models), "models/ and models/run/ were made by the failed run");

        // A tokenizer file is copied into the run folder before the corpus is read: the folder goes all the same.
        Path chars = dir.resolve("chars.json");
        TokenizerJson.save(CharTokenizer.fromText("café "), chars);
        String[] withTokenizer = replaced(trainArgsInto(models.resolve("run"), "--device", "cpu", "--tokenizer",
                chars.toString()), "--corpus", latin1.toString());
        assertOneLineError("is not valid UTF-8", withTokenizer);
        assertFalse(Files.exists(models), "the run folder held only the failed run's own tokenizer.json");

        Files.createDirectories(models.resolve("run"));
        assertOneLineError("is not valid UTF-8", args);
        assertTrue(Files.isDirectory(models.resolve("run")), "a folder that was there before is not the run's to remove");
    }

    @Test
    void maxTokensBelowOneIsOneLineBeforeTheCheckpointIsRead() {
        String missing = dir.resolve("none").toString();
        for (String count : new String[] {"0", "-5"}) {
            assertOneLineErrorWith(new String[] {"max new tokens " + count + " must be at least 1",
                "give how many tokens to generate, e.g. 500 (--max-tokens 500)"},
                    "sample", "--checkpoint", missing, "--max-tokens", count);
        }
    }

    @Test
    void aVocabSizeSmallerThanTheTokenizerIsRefusedNotRaised() throws Exception {
        long characters = Files.readString(corpus()).codePoints().distinct().count();
        assertOneLineError("vocab_size 10 is smaller than the tokenizer, which has " + characters + " tokens: set"
                + " vocab_size to at least " + characters + ", or leave it out", trainArgs("--device", "cpu",
                "--set", "vocab_size=10"));
    }

    @Test
    void aCharPresetsPlaceholderVocabSizeGrowsToTheTokenizer() throws Exception {
        // 94 printable ASCII characters and a newline: more than the 65 of tiny-shakespeare the preset assumes.
        String alphabet = IntStream.rangeClosed('!', '~').mapToObj(Character::toString).collect(Collectors.joining());
        Path corpus = Files.writeString(dir.resolve("alphabet.txt"), (alphabet + "\n").repeat(10));

        assertEquals(0, run(replaced(trainArgs("--device", "cpu"), "--corpus", corpus.toString())), err.toString());
        assertTrue(Files.readString(dir.resolve("run/latest/config.json")).contains("\"vocab_size\": 95"),
                Files.readString(dir.resolve("run/latest/config.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "sample", "bench train"})
    void helpWorks(String command) {
        assertEquals(0, run((command + " --help").split(" ")), err.toString());
        assertTrue(out.toString().startsWith("Usage: scratchgpt " + command), out.toString());
    }
}
