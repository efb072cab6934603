package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchgpt.cli.CliAssertions.assertOneLineError;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.FinetunedFrom;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.hf.ReferenceGpt2;
import org.scratchgpt.optim.TrainingSettings;
import picocli.CommandLine;

/**
 * {@code scratchgpt finetune} through the real command line: a fine-tuned run records its source and continues with
 * {@code train --resume}; every mistake (a run folder, a missing or damaged checkpoint, an --out that holds a
 * model, a character the tokenizer lacks, a change of shape) is one line before any training.
 */
class FinetuneCommandTest {
    @TempDir static Path dir;
    private static Path source;
    private static Path newText;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trainSource() throws Exception {
        source = TinyRun.train(dir, "source", 16, 4, 2);
        newText = TinyRun.otherText(dir);
    }

    private int run(String... args) {
        CommandLine cli = ScratchGpt.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** finetune with a short schedule, from {@code from} on {@code corpus} into {@code dir/name}, plus {@code more}. */
    private int finetune(Path from, Path corpus, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("finetune", "--from", from.toString(), "--corpus", corpus.toString(),
                "--out", dir.resolve(name).toString(), "--set", "max_iters=4", "--set", "eval_interval=2", "--set",
                "eval_iters=1", "--quiet"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aFinetunedRunRecordsItsSourceAndResumesWithTrain() throws Exception {
        assertEquals(0, finetune(source, newText, "tuned"), err.toString());
        assertTrue(out.toString().contains("fine-tuned from " + source.toAbsolutePath().normalize()), out.toString());
        Path latest = dir.resolve("tuned").resolve("latest");
        FinetunedFrom recorded = Checkpoint.read(latest).state().finetunedFrom().orElseThrow();
        assertEquals(source.toAbsolutePath().normalize().toString(), recorded.checkpoint());
        assertEquals(Checkpoint.read(source).model(), Checkpoint.read(latest).model(), "the source's model");
        assertEquals(Files.readString(source.resolve("tokenizer.json")), Files.readString(latest.resolve("tokenizer.json")));

        assertEquals(0, run("train", "--resume", latest.toString(), "--set", "max_iters=6", "--quiet"), err.toString());
        RunState resumed = Checkpoint.read(latest).state();
        assertEquals(6, resumed.step());
        assertEquals(recorded, resumed.finetunedFrom().orElseThrow(), "train --resume keeps the provenance");
    }

    /** A checkpoint `import gpt2` wrote fine-tunes too, with its own (byte-level BPE) tokenizer. */
    @Test
    void anImportedGpt2FineTunes() throws Exception {
        ReferenceGpt2.requireNumpy();
        Path hf = Files.createDirectories(dir.resolve("hf"));
        ReferenceGpt2.make(hf, 23, "--layers", "2", "--heads", "2", "--width", "8", "--context", "16");
        Path imported = dir.resolve("gpt2");
        assertEquals(0, run("import", "gpt2", "--from", hf.toString(), "--out", imported.toString()), err.toString());
        Path corpus = Files.writeString(dir.resolve("letters.txt"), "abcdefghijklmnopqrst".repeat(200));
        assertEquals(0, finetune(imported.resolve("best"), corpus, "gpt2-tuned", "--set", "batch_size=2"), err.toString());
        RunState state = Checkpoint.read(dir.resolve("gpt2-tuned").resolve("latest")).state();
        assertEquals(4, state.step());
        assertEquals(imported.resolve("best").toAbsolutePath().normalize().toString(),
                state.finetunedFrom().orElseThrow().checkpoint());
    }

    /**
     * An imported GPT-2 carries the gpt2 preset's pretraining settings (12 sequences x 40 accumulated, 200 evaluation
     * batches); its fine-tuning defaults are sized for fine-tuning instead: no accumulation, a batch whose step is
     * cheap on this machine, evaluations of about 40 sequences. A --set still wins.
     */
    @Test
    void fineTuningAnImportedGpt2DoesNotInheritItsPretrainingStep() throws Exception {
        Path imported = importedGpt2("gpt2-sized");
        Path corpus = Files.writeString(dir.resolve("letters-sized.txt"), "abcdefghijklmnopqrst".repeat(200));
        assertEquals(40, Checkpoint.read(imported.resolve("best")).training().accumulationSteps(), "the preset's");
        assertEquals(0, run("finetune", "--from", imported.resolve("best").toString(), "--corpus", corpus.toString(),
                "--out", dir.resolve("sized").toString(), "--set", "max_iters=2", "--quiet", "--device", "cpu"),
                err.toString());
        TrainingSettings tuned = Checkpoint.read(dir.resolve("sized").resolve("latest")).training();
        assertEquals(1, tuned.accumulationSteps());
        assertEquals(12, tuned.batchSize(), "a tiny model's step fits the source's whole batch");
        assertEquals(4, tuned.evalIters(), "4 batches of 12: about 40 sequences");
        assertEquals(0, run("finetune", "--from", imported.resolve("best").toString(), "--corpus", corpus.toString(),
                "--out", dir.resolve("sized-set").toString(), "--set", "max_iters=2", "--set", "batch_size=3",
                "--set", "gradient_accumulation_steps=2", "--quiet", "--device", "cpu"), err.toString());
        TrainingSettings set = Checkpoint.read(dir.resolve("sized-set").resolve("latest")).training();
        assertEquals(List.of(3, 2, 14), List.of(set.batchSize(), set.accumulationSteps(), set.evalIters()),
                "--set wins, and the evaluation batches follow the batch size");
    }

    /** A fine-tuning run is short: without --log-interval it logs a line every twentieth of its steps. */
    @Test
    void aFineTuningRunLogsOftenByDefault() throws Exception {
        ForkedJvm jvm = ForkedJvm.scratchgpt(dir, List.of(), "finetune", "--from", source.toString(), "--corpus",
                newText.toString(), "--out", dir.resolve("logged").toString(), "--set", "max_iters=40", "--set",
                "eval_interval=40", "--quiet", "--device", "cpu");
        assertEquals(0, jvm.waitFor(), jvm.stderr());
        String log = jvm.stderr();
        for (int step : new int[] {2, 4, 20, 38}) {
            assertTrue(log.contains("step " + step + "/40 |"), "a line every 2 of the 40 steps:\n" + log);
        }
    }

    /** A GPT-2 of 2 layers imported into {@code dir/name}, from a HuggingFace folder made by the reference. */
    private Path importedGpt2(String name) throws Exception {
        ReferenceGpt2.requireNumpy();
        Path hf = Files.createDirectories(dir.resolve("hf-" + name));
        ReferenceGpt2.make(hf, 23, "--layers", "2", "--heads", "2", "--width", "8", "--context", "16");
        Path imported = dir.resolve(name);
        assertEquals(0, run("import", "gpt2", "--from", hf.toString(), "--out", imported.toString()), err.toString());
        return imported;
    }

    @Test
    void finetuneResumePointsToTrainResume() {
        Path latest = dir.resolve("tuned").resolve("latest");
        assertOneLineError(run("finetune", "--resume", latest.toString()), err.toString(),
                "scratchgpt train --resume " + latest);
    }

    /** --from a run folder fine-tunes its best/, and says so. */
    @Test
    void aRunFolderFineTunesItsBest() throws Exception {
        Path runFolder = source.getParent();
        assertEquals(0, finetune(runFolder, newText, "from-folder"), err.toString());
        assertTrue(err.toString().startsWith("using " + runFolder.resolve("best") + " (the run's best checkpoint"),
                err.toString());
        FinetunedFrom recorded = Checkpoint.read(dir.resolve("from-folder").resolve("latest")).state().finetunedFrom()
                .orElseThrow();
        assertEquals(source.toAbsolutePath().normalize().toString(), recorded.checkpoint());
    }

    @Test
    void aMissingCheckpointIsOneLine() {
        assertOneLineError(finetune(dir.resolve("nowhere"), newText, "b"), err.toString(), "not found");
        err.getBuffer().setLength(0);
        assertOneLineError(run("finetune", "--from", source.toString()), err.toString(), "needs --corpus FILE");
        assertFalse(Files.exists(dir.resolve("b")));
    }

    /** A copy of the folder {@code from} (and its sub-folders) at {@code to}. */
    private static Path copyOf(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }

    @Test
    void aDamagedCheckpointIsOneLine() throws Exception {
        Path damaged = copyOf(source, Files.createDirectories(dir.resolve("damaged")).resolve("best"));
        Files.writeString(damaged.resolve("config.json"), "{}");
        assertOneLineError(finetune(damaged, newText, "c"), err.toString(), "config.json", "use another checkpoint");

        Path truncated = copyOf(source, Files.createDirectories(dir.resolve("truncated")).resolve("best"));
        try (var files = Files.list(truncated)) {
            Path weights = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
            Files.write(weights, java.util.Arrays.copyOf(Files.readAllBytes(weights), 100));
        }
        err.getBuffer().setLength(0);
        assertOneLineError(finetune(truncated, newText, "c2"), err.toString(), ".params has 100 bytes but was written"
                + " with", "use another checkpoint");
    }

    @Test
    void anOutThatHoldsAModelIsRefused() throws Exception {
        assertOneLineError(finetune(source, newText, "source", "--overwrite"), err.toString(),
                "holds --from " + source, "give --out a path outside");
        assertTrue(Files.isDirectory(source), "the source is untouched, --overwrite or not");
        err.getBuffer().setLength(0);
        Path other = copyOf(source.getParent(), dir.resolve("other"));
        assertOneLineError(finetune(source, newText, "other"), err.toString(), "already holds a trained model",
                "--out DIR");
        assertTrue(Files.isDirectory(other.resolve("best")));
    }

    @Test
    void aCharacterTheTokenizerLacksIsNamedWithItsLineAndColumn() throws Exception {
        Path accented = Files.writeString(dir.resolve("accented.txt"), "to be or not\nto be, thé\n".repeat(40));
        assertOneLineError(finetune(source, accented, "d"), err.toString(), "line 2, column 10", "'é' (U+00E9)",
                "replace or remove them in the corpus");
        assertFalse(Files.exists(dir.resolve("d")), "nothing written");
    }

    /**
     * The advice removes what the text actually holds: digits, brackets, a tab, a backslash, accents and a dash
     * (iconv's transliteration, advised before, leaves the digits and brackets where they are). The command it gives
     * runs, and the model fine-tunes on what it wrote.
     */
    @Test
    void theAdvisedCommandRemovesEveryCharacterTheTokenizerLacks() throws Exception {
        String text = "to be (or not) [1984]\tto be,\t'tis thé — the question: \\ whether\n".repeat(40);
        Path odd = Files.writeString(dir.resolve("odd text.txt"), text);
        assertOneLineError(finetune(source, odd, "f"), err.toString(), "replace or remove them in the corpus",
                "or train a model of its own on this text (`./scratchgpt train --corpus '" + odd + "' --out 'models/odd text'`");
        Matcher advice = Pattern.compile("all at once: `(.*?)`").matcher(err.toString());
        assertTrue(advice.find(), err.toString());
        Process shell = new ProcessBuilder("bash", "-c", advice.group(1)).redirectErrorStream(true).start();
        String shellOutput = new String(shell.getInputStream().readAllBytes());
        assertEquals(0, shell.waitFor(), advice.group(1) + ": " + shellOutput);

        Path cleaned = dir.resolve("odd text-chars.txt");
        assertEquals(text.replaceAll("[()\\[\\]1984\t\\\\é—]", ""), Files.readString(cleaned));
        err.getBuffer().setLength(0);
        assertEquals(0, finetune(source, cleaned, "g"), err.toString());
    }

    @Test
    void theModelsShapeCannotBeChanged() {
        assertOneLineError(finetune(source, newText, "e", "--set", "n_layer=4"), err.toString(),
                "--set n_layer cannot change a fine-tuned model", "only training fields and dropout");
    }
}
