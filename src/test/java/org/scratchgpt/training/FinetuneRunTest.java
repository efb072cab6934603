package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.FinetunedFrom;
import org.scratchgpt.checkpoint.InitialWeights;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.io.Sha256;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.optim.FinetuneSettings;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokens.TokenFile;
import org.scratchgpt.tokens.TokenSplit;
import org.scratchgpt.tokens.TokenWindows;

/**
 * Fine-tuning through {@link RunMode.FullFinetune}: it starts exactly at the source's weights, records where they
 * came from, refuses a text the tokenizer cannot encode before training, and resumes like any run.
 */
class FinetuneRunTest {
    @TempDir static Path dir;
    private static Path source;

    /** The same characters as the pangrams the source learnt, in other words: a new text the tokenizer can encode. */
    private static final String NEW_TEXT = "a lazy brown dog jumps over the quick fox. five jugs of liquor in my box!\n"
            .repeat(40);

    @BeforeAll
    static void trainSource() throws Exception {
        Path corpus = Files.writeString(dir.resolve("pangrams.txt"), TrainingRunTest.pangrams());
        TrainingRun.run(TrainingRunTest.spec(TrainingRunTest.TINY, TrainingRunTest.settings(8, 4), corpus,
                dir.resolve("source")).build(), new RunMode.Pretraining("char", false), TrainingRun.RunControl.defaults());
        source = dir.resolve("source").resolve("best");
    }

    private static Path newCorpus(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static RunSpec spec(Path corpus, Path runDir, int maxIters) throws Exception {
        Checkpoint.Contents contents = Checkpoint.read(source);
        TrainingSettings settings = FinetuneSettings.of(contents.training(), onCpu(contents.model()),
                Map.of("max_iters", Integer.toString(maxIters), "eval_interval", "4"));
        return TrainingRunTest.spec(contents.model(), settings, corpus, runDir).build();
    }

    /** The tiny model on a CPU: its step fits the budget with the source's whole batch. */
    private static FinetuneSettings.ModelAndMachine onCpu(org.scratchgpt.model.GptConfig model) {
        return new FinetuneSettings.ModelAndMachine(
                org.scratchgpt.plan.MemoryEstimate.parameterCount(model), model.contextLength(), false);
    }

    private static TrainingRun.Summary finetune(Path corpus, Path runDir, int maxIters, StopRequest stop) throws Exception {
        return TrainingRun.run(spec(corpus, runDir, maxIters), new RunMode.FullFinetune(InitialWeights.of(source)),
                new TrainingRun.RunControl(false, stop));
    }

    private static List<JsonObject> evaluations(Path runDir) throws Exception {
        return new MetricsLog(runDir.resolve(Checkpoint.METRICS)).lines().stream()
                .filter(line -> line.get("kind").getAsString().equals("eval")).toList();
    }

    /**
     * The step-0 evaluation of the fine-tuning run equals the source model's loss on the same batches of the new
     * text, computed here apart from the run: the run's weights at step 0 are exactly the source's.
     */
    @Test
    void stepZeroIsTheSourceModelExactly() throws Exception {
        Path runDir = dir.resolve("step0");
        finetune(newCorpus("step0.txt", NEW_TEXT), runDir, 4, StopRequest.manual());
        JsonObject first = evaluations(runDir).get(0);
        assertEquals(0, first.get("step").getAsLong());

        Checkpoint.Contents contents = Checkpoint.read(source);
        TrainingSettings settings = Checkpoint.read(runDir.resolve("latest")).training();
        int context = contents.model().contextLength();
        Shape batch = new Shape(settings.batchSize(), context);
        try (Model model = Model.newInstance("source", Device.cpu())) {
            model.setBlock(new Gpt(contents.model()));
            Checkpoint.loadInto(model, source, batch);
            try (Trainer trainer = TrainingRun.newTrainer(model, settings.newOptimizer(), Device.cpu(), batch)) {
                TokenWindows val = new TokenWindows(TokenFile.open(runDir.resolve("data").resolve(TokenSplit.VAL_FILE)),
                        settings.batchSize(), context, 1, settings.seed());
                // Exactly: a random start (even the source's own, same seed) would give another number.
                assertEquals(Evaluation.meanLoss(trainer, val, settings.evalIters()), first.get("val_loss").getAsDouble(),
                        0.0);
            }
        }
    }

    @Test
    void checkpointsRecordTheSourceFolderAndTheHashOfItsWeights() throws Exception {
        Path runDir = dir.resolve("provenance");
        finetune(newCorpus("provenance.txt", NEW_TEXT), runDir, 4, StopRequest.manual());
        Path weights;
        try (var files = Files.list(source)) {
            weights = files.filter(f -> f.getFileName().toString().endsWith(".params")).findFirst().orElseThrow();
        }
        RunState state = Checkpoint.read(runDir.resolve("latest")).state();
        FinetunedFrom recorded = state.finetunedFrom().orElseThrow();
        assertEquals(source.toAbsolutePath().normalize().toString(), recorded.checkpoint());
        assertEquals(Sha256.of(weights), recorded.weightsSha256());
        assertEquals(Checkpoint.read(source).state().step(), recorded.step());
        assertEquals(4, state.step(), "a fresh step count, not the source's");
        String card = Files.readString(runDir.resolve("latest").resolve("README.md"));
        assertTrue(card.contains("Fine-tuned from " + recorded.checkpoint()), card);
        assertTrue(Checkpoint.read(source).state().finetunedFrom().isEmpty(), "a run trained from scratch records none");
    }

    @Test
    void aCharacterOutsideTheVocabularyIsRefusedBeforeTraining() throws Exception {
        Path corpus = newCorpus("accents.txt", "the lazy dog\nthe café — fox\n" + NEW_TEXT);
        Path runDir = dir.resolve("accents");
        UserError error = assertThrows(UserError.class, () -> finetune(corpus, runDir, 4, StopRequest.manual()));
        String message = error.getMessage();
        for (String part : List.of(corpus.toString(), "line 2, column 8", "'é' (U+00E9)", "it also lacks 1 other character"
                + " of the corpus: '—' (U+2014)", "replace or remove them")) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
        assertFalse(Files.exists(runDir.resolve("latest")), "nothing was trained");
    }

    @Test
    void linesAndColumnsCountCharactersNotUtf16Units() {
        String text = "ab\n\uD83D\uDE00cd\n"; // an emoji is two chars in Java, one character to a reader
        assertArrayEquals(new int[] {1, 1}, UnencodableText.lineAndColumn(text, 1));
        assertArrayEquals(new int[] {1, 3}, UnencodableText.lineAndColumn(text, 3));
        assertArrayEquals(new int[] {2, 1}, UnencodableText.lineAndColumn(text, 4));
        assertArrayEquals(new int[] {2, 3}, UnencodableText.lineAndColumn(text, 6));
    }

    /** Stopped mid-way (as by Ctrl-C) and resumed, a fine-tuning run ends exactly as the uninterrupted one. */
    @Test
    void aResumedFinetuningRunEqualsTheUninterruptedOne() throws Exception {
        Path corpus = newCorpus("resume.txt", NEW_TEXT);
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        finetune(corpus, whole, 12, StopRequest.manual());
        finetune(corpus, stopped, 12, StopRequest.atStep(7));
        assertEquals(7, Checkpoint.read(stopped.resolve("latest")).state().step());

        TrainingRunTest.resume(stopped.resolve("latest"), Map.of());
        assertEquals(evaluations(whole).toString(), evaluations(stopped).toString());
        float[][] expected = TrainingRunTest.weights(whole.resolve("latest"), Device.cpu());
        float[][] actual = TrainingRunTest.weights(stopped.resolve("latest"), Device.cpu());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0f, "parameter " + i);
        }
        assertEquals(Checkpoint.read(whole.resolve("latest")).state().finetunedFrom(),
                Checkpoint.read(stopped.resolve("latest")).state().finetunedFrom(), "the resumed run keeps its provenance");
    }

    @Test
    void theDefaultScheduleIsGentlerAndShorterThanTheSources() {
        TrainingSettings baby = TrainingSettings.preset("baby");
        FinetuneSettings.ModelAndMachine babyOnCpu = onCpu(org.scratchgpt.model.Presets.model("baby"));
        TrainingSettings tuned = FinetuneSettings.of(baby, babyOnCpu, Map.of());
        assertEquals(200, tuned.maxIters());
        assertEquals(baby.learningRate() / 10, tuned.learningRate(), 0.0);
        assertEquals(tuned.learningRate() / 10, tuned.minLearningRate(), 0.0);
        assertEquals(10, tuned.warmupIters());
        assertEquals(200, tuned.decayIters());
        assertEquals(50, tuned.evalInterval());
        assertEquals(baby.batchSize(), tuned.batchSize(), "a small model's step fits the source's whole batch");
        assertEquals(1, tuned.accumulationSteps());
        assertEquals(4, tuned.evalIters(), "batches for about 40 sequences");
        TrainingSettings longer = FinetuneSettings.of(baby, babyOnCpu, Map.of("max_iters", "1000", "learning_rate", "1e-6"));
        assertEquals(1000, longer.decayIters(), "the decay follows a max_iters that was given");
        assertEquals(1e-7, longer.minLearningRate(), 1e-20, "and min_lr a learning_rate");
    }
}
