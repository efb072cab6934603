package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.Gradients;
import org.scratchgpt.optim.LanguageModelLoss;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokens.TokenFile;
import org.scratchgpt.tokens.TokenWindows;

/**
 * Activation checkpointing changes what is kept between the forward and the backward pass, never what is computed:
 * every parameter's gradient equals the whole graph's within 1e-6 (relative to the largest, per parameter, float32),
 * with and without dropout, with gradient accumulation; training runs give the same losses; and a step leaves no
 * arrays behind.
 */
class ActivationCheckpointingTest {

    private static final int BATCH = 4;
    private static final int T = 16;
    private static final int VOCAB = 50;
    private static final long STEP_SEED = 1234;
    private static final double TOLERANCE = 1e-6;

    @TempDir Path dir;

    @Test
    void gradientsEqualTheWholeGraphsWithoutDropout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = tinyGpt(manager, 0.0);
            int[][] tokens = TrainingTesting.fixedIds(BATCH, T + 1, VOCAB, 5);

            Gradients.zero(gpt.getParameters());
            try (NDManager step = manager.newSubManager()) {
                NDArray sequences = step.create(tokens);                                   // (B, T + 1)
                TrainingTesting.backward(gpt, step, sequences.get(":, :-1"), sequences.get(":, 1:"), 1.0);
            }
            Map<String, float[]> whole = TrainingTesting.gradients(gpt);

            Gradients.zero(gpt.getParameters());
            checkpointed(gpt, manager, tokens, 1, 0);
            assertClose(whole, TrainingTesting.gradients(gpt), "no dropout");
        }
    }

    /**
     * With dropout the reference is the whole graph run stage by stage with the same reseeding of torch's generator,
     * so that it draws the masks the checkpointed step draws; two micro-batches, each loss / 2, add up.
     */
    @Test
    void gradientsEqualTheWholeGraphsWithDropoutOverAccumulatedMicroBatches() {
        int microBatches = 2;
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = tinyGpt(manager, 0.2);
            List<int[][]> tokens = new ArrayList<>();
            for (int k = 0; k < microBatches; k++) {
                tokens.add(TrainingTesting.fixedIds(BATCH, T + 1, VOCAB, 10 + k));
            }

            Map<String, float[]> whole = wholeGraphWithStageSeeds(gpt, manager, tokens, STEP_SEED);
            Gradients.zero(gpt.getParameters());
            for (int k = 0; k < microBatches; k++) {
                checkpointed(gpt, manager, tokens.get(k), microBatches, k);
            }
            assertClose(whole, TrainingTesting.gradients(gpt), "dropout 0.2, 2 micro-batches");

            // The masks matter: other seeds give other gradients, so the equality above is not a coincidence.
            Map<String, float[]> otherMasks = wholeGraphWithStageSeeds(gpt, manager, tokens, STEP_SEED + 1);
            double largest = 0;
            for (String name : whole.keySet()) {
                largest = Math.max(largest, TrainingTesting.relativeError(otherMasks.get(name),
                        TrainingTesting.toDoubles(whole.get(name))));
            }
            assertTrue(largest > 0.1, "other dropout masks changed the gradients by only " + largest);
        }
    }

    /**
     * Torch records a graph whenever its grad mode is on, which is the default on a thread other than the one DJL's
     * engine started on. The first pass turns it off itself: were a graph recorded there, the backward pass would
     * reach the parameters twice.
     */
    @Test
    void theFirstPassRecordsNoGraphEvenWhenGradModeIsOn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Gpt gpt = tinyGpt(manager, 0.0);
            int[][] tokens = TrainingTesting.fixedIds(BATCH, T + 1, VOCAB, 6);
            Gradients.zero(gpt.getParameters());
            checkpointed(gpt, manager, tokens, 1, 0);
            Map<String, float[]> expected = TrainingTesting.gradients(gpt);

            Gradients.zero(gpt.getParameters());
            boolean before = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try {
                checkpointed(gpt, manager, tokens, 1, 0);
                assertTrue(JniUtils.isGradMode(), "grad mode is given back as it was");
            } finally {
                JniUtils.setGradMode(before);
            }
            assertClose(expected, TrainingTesting.gradients(gpt), "grad mode on before the step");
        }
    }

    /** The loop's own step, 3 micro-batches: the same loss and gradients with and without checkpointing. */
    @Test
    void aTrainingStepWithAccumulationGivesTheSameLossAndGradients() throws Exception {
        TrainingSettings settings = TrainingRunTest.settings(1, 1).withOverrides(Map.of("gradient_accumulation_steps", "3",
                "grad_clip", "0"));
        GptConfig config = TrainingTesting.tinyGpt();
        Path tokens = randomTokenFile(config);
        try (Model model = Model.newInstance("gpt", Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            model.setBlock(new Gpt(config));
            try (Trainer trainer = TrainingRun.newTrainer(model, settings.newOptimizer(), Device.cpu(),
                    new Shape(settings.batchSize(), config.contextLength()))) {
                TrainingStep.Result plain = TrainingStep.forwardBackward(trainer, windows(tokens, settings, config), 3, 0,
                        STEP_SEED, false);
                Map<String, float[]> expected = TrainingTesting.gradients(model.getBlock());
                Gradients.zero(model.getBlock().getParameters());
                TrainingStep.Result checkpointed = TrainingStep.forwardBackward(trainer, windows(tokens, settings, config),
                        3, 0, STEP_SEED, true);

                assertClose(expected, TrainingTesting.gradients(model.getBlock()), "3 micro-batches through TrainingStep");
                assertEquals(plain.loss(), checkpointed.loss(), TOLERANCE * plain.loss());
                assertEquals(plain.gradientNorm(), checkpointed.gradientNorm(), TOLERANCE * plain.gradientNorm());
            }
        }
    }

    /** Every array a checkpointed step makes is closed by its end: the count under the model's manager stays put. */
    @Test
    void stepsLeaveNoArraysBehind() throws Exception {
        TrainingSettings settings = TrainingRunTest.settings(1, 1); // 2 micro-batches, clipping on
        GptConfig config = TrainingTesting.tinyGpt().withOverrides(Map.of("dropout", "0.1"));
        Path tokens = randomTokenFile(config);
        try (Model model = Model.newInstance("gpt", Device.cpu())) {
            model.setBlock(new Gpt(config));
            try (Trainer trainer = TrainingRun.newTrainer(model, settings.newOptimizer(), Device.cpu(),
                    new Shape(settings.batchSize(), config.contextLength()))) {
                Runnable step = TrainingRun.benchmarkSteps(trainer, tokens, settings, true);
                step.run(); // the first update creates AdamW's moments
                int arrays = model.getNDManager().getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    step.run();
                    assertEquals(arrays, model.getNDManager().getManagedArrays().size(), "live arrays after step " + i);
                }
            }
        }
    }

    /** A short run with checkpointing follows the run without it: the same evaluated losses, to rounding. */
    @Test
    void aShortTrainingRunFollowsTheRunWithoutCheckpointing() throws Exception {
        GptConfig noDropout = TrainingRunTest.TINY.withOverrides(Map.of("dropout", "0"));
        Path corpus = java.nio.file.Files.writeString(dir.resolve("corpus.txt"), TrainingRunTest.pangrams());
        List<Double> plain = valLosses(noDropout, corpus, dir.resolve("plain"), false);
        List<Double> checkpointed = valLosses(noDropout, corpus, dir.resolve("checkpointed"), true);
        assertEquals(plain.size(), checkpointed.size());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(plain.get(i), checkpointed.get(i), 1e-4, "val loss at evaluation " + i);
        }
        assertTrue(checkpointed.get(checkpointed.size() - 1) < checkpointed.get(0) - 0.5, "it learns: " + checkpointed);
    }

    // ---------------------------------------------------------------- helpers

    private static Gpt tinyGpt(NDManager manager, double dropout) {
        Engine.getInstance().setRandomSeed(11);
        Gpt gpt = new Gpt(TrainingTesting.tinyGpt().withOverrides(Map.of("dropout", Double.toString(dropout))));
        gpt.initialize(manager, DataType.FLOAT32, new Shape(BATCH, T));
        return gpt;
    }

    /** One checkpointed micro-batch of {@code tokens} (B, T + 1), its loss divided by {@code accumulationSteps}. */
    private static void checkpointed(Gpt gpt, NDManager manager, int[][] tokens, int accumulationSteps, int microBatch) {
        try (NDManager step = manager.newSubManager()) {
            NDArray sequences = step.create(tokens);                                       // (B, T + 1)
            ActivationCheckpointing.forwardBackward(gpt, new ParameterStore(manager, false), new LanguageModelLoss(),
                    sequences.get(":, :-1"), sequences.get(":, 1:"), accumulationSteps, 1.0, STEP_SEED, microBatch);
        }
    }

    /**
     * The reference for dropout: the whole graph, recorded in one GradientCollector per micro-batch, its stages
     * run one by one so that torch can be reseeded before each exactly as the checkpointed step reseeds it.
     */
    private static Map<String, float[]> wholeGraphWithStageSeeds(Gpt gpt, NDManager manager, List<int[][]> microBatches,
            long stepSeed) {
        Gradients.zero(gpt.getParameters());
        ParameterStore store = new ParameterStore(manager, false);
        for (int k = 0; k < microBatches.size(); k++) {
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray sequences = step.create(microBatches.get(k));                      // (B, T + 1)
                Engine.getInstance().setRandomSeed(ActivationCheckpointing.dropoutSeed(stepSeed, k, 0));
                NDArray x = gpt.embed(store, sequences.get(":, :-1"), true);               // (B, T, C)
                for (int layer = 0; layer < gpt.config().layers(); layer++) {
                    Engine.getInstance().setRandomSeed(ActivationCheckpointing.dropoutSeed(stepSeed, k, layer + 1));
                    x = gpt.layer(layer, store, x, true);                                   // (B, T, C)
                }
                NDArray logits = gpt.logits(store, x, true);                                // (B, T, V)
                NDArray loss = new LanguageModelLoss().crossEntropy(logits, sequences.get(":, 1:")); // ()
                collector.backward(loss.div(microBatches.size()));
            }
        }
        return TrainingTesting.gradients(gpt);
    }

    private static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        double worst = 0;
        for (String name : expected.keySet()) {
            double error = TrainingTesting.relativeError(actual.get(name), TrainingTesting.toDoubles(expected.get(name)));
            assertTrue(error <= TOLERANCE, what + ", " + name + ": relative error " + error);
            worst = Math.max(worst, error);
        }
        System.out.printf("activation checkpointing, %s: worst relative error %.3g over %d parameters%n", what, worst,
                expected.size());
    }

    private Path randomTokenFile(GptConfig config) throws Exception {
        int[] ids = TrainingTesting.fixedIds(1, 5_000, config.vocabSize(), 9)[0];
        return TokenFile.write(dir.resolve("tokens.bin"), ids, config.vocabSize()).path();
    }

    private static TokenWindows windows(Path tokens, TrainingSettings settings, GptConfig config) throws Exception {
        return new TokenWindows(TokenFile.open(tokens), settings.batchSize(), config.contextLength(), Long.MAX_VALUE,
                settings.seed());
    }

    private static List<Double> valLosses(GptConfig config, Path corpus, Path runDir, boolean checkpointActivations)
            throws Exception {
        TrainingRun.run(TrainingRunTest.spec(config, TrainingRunTest.settings(20, 5), corpus, runDir)
                .checkpointActivations(checkpointActivations).build(), new RunMode.Pretraining("char", false),
                TrainingRun.RunControl.defaults());
        return new MetricsLog(runDir.resolve(Checkpoint.METRICS)).lines().stream()
                .filter(line -> line.get("kind").getAsString().equals("eval"))
                .map(line -> line.get("val_loss").getAsDouble()).toList();
    }
}
