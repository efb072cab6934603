package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchgpt.SharedData;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.RunState;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.TrainingSettings;

class TrainingRunTest {
    @TempDir Path dir;

    /** A model small enough to train hundreds of steps in seconds; dropout on, to prove it resumes exactly. */
    static final GptConfig TINY = new GptConfig(64, 16, 2, 2, 32, 0.1, true, PositionalEncoding.LEARNED, true);

    static TrainingSettings settings(int maxIters, int evalInterval) {
        return new TrainingSettings(4, maxIters, 3e-3, 3e-4, 5, 100, 0.9, 0.99, 0.1, 1.0, 2, evalInterval, 3, 7);
    }

    private Path corpus(String text) throws Exception {
        return Files.writeString(dir.resolve("corpus-" + text.hashCode() + ".txt"), text);
    }

    static String pangrams() {
        return "the quick brown fox jumps over the lazy dog. pack my box with five dozen liquor jugs!\n".repeat(40);
    }

    private TrainingRun.Summary train(GptConfig model, TrainingSettings training, Path corpus, Path runDir) throws Exception {
        return train(model, training, corpus, runDir, Compute.REFERENCE, false);
    }

    private TrainingRun.Summary train(GptConfig model, TrainingSettings training, Path corpus, Path runDir,
            Compute compute) throws Exception {
        return train(model, training, corpus, runDir, compute, false);
    }

    private TrainingRun.Summary train(GptConfig model, TrainingSettings training, Path corpus, Path runDir,
            Compute compute, boolean checkpointActivations) throws Exception {
        return TrainingRun.run(spec(model, training, corpus, runDir).compute(compute)
                .checkpointActivations(checkpointActivations).build(), new RunMode.Pretraining("char", false),
                TrainingRun.RunControl.defaults());
    }

    /** A spec of these tests: named "test", on the CPU, with no progress bar and hardly a log line. */
    static RunSpec.Builder spec(GptConfig model, TrainingSettings training, Path corpus, Path runDir) {
        return RunSpec.builder().preset("test").model(model).training(training).corpus(corpus).runDir(runDir)
                .device(Device.cpu()).showProgressBar(false).logInterval(1000);
    }

    /** Resumes a checkpoint of these tests on the CPU, with {@code trainingOverrides}. */
    static TrainingRun.Summary resume(Path checkpoint, Map<String, String> trainingOverrides) throws Exception {
        return TrainingRun.resume(checkpoint, Continuation.builder().device(Device.cpu())
                .showProgressBar(false).logInterval(1000).trainingOverrides(trainingOverrides).build(),
                TrainingRun.RunControl.defaults());
    }

    /** Every precision and kernel, and activation checkpointing with the reference and with bf16. */
    static Stream<Arguments> ways() {
        return Stream.of(Arguments.of(Compute.REFERENCE, false), Arguments.of(Compute.REFERENCE, true),
                Arguments.of(new Compute(Precision.FP32, true), false), Arguments.of(new Compute(Precision.BF16, true), false),
                Arguments.of(new Compute(Precision.FP16, true), false), Arguments.of(new Compute(Precision.BF16, true), true));
    }

    private static List<JsonObject> evaluations(Path runDir) throws Exception {
        return new MetricsLog(runDir.resolve(Checkpoint.METRICS)).lines().stream()
                .filter(line -> line.get("kind").getAsString().equals("eval")).toList();
    }

    private static float[][] weights(Path checkpoint) throws Exception {
        return weights(checkpoint, Device.cpu());
    }

    /** A checkpoint's weights, loaded onto {@code device} and copied back into Java. */
    static float[][] weights(Path checkpoint, Device device) throws Exception {
        Checkpoint.Contents contents = Checkpoint.read(checkpoint);
        try (Model model = Model.newInstance("check", device)) {
            model.setBlock(new Gpt(contents.model()));
            Checkpoint.loadInto(model, checkpoint, new Shape(1, contents.model().contextLength()));
            return model.getBlock().getParameters().values().stream().map(p -> p.getArray().toFloatArray())
                    .toArray(float[][]::new);
        }
    }

    /**
     * In every way of computing: the checkpoint also carries the precision, the kernel, float16's loss scale and
     * whether activations were checkpointed, and the resumed run follows them.
     */
    @ParameterizedTest(name = "{0}, checkpoint activations: {1}")
    @MethodSource("ways")
    void anInterruptedAndResumedRunReproducesTheUninterruptedOne(Compute compute, boolean checkpointActivations)
            throws Exception {
        Path text = corpus(pangrams());
        Path whole = dir.resolve("whole-" + compute + checkpointActivations);
        Path split = dir.resolve("split-" + compute + checkpointActivations);
        train(TINY, settings(12, 4), text, whole, compute, checkpointActivations);
        train(TINY, settings(8, 4), text, split, compute, checkpointActivations); // "interrupted" after step 8
        RunState state = Checkpoint.read(split.resolve("latest")).state();
        assertEquals(checkpointActivations, state.checkpointActivations());
        assertEquals(compute, state.compute());
        // Resumed as the checkpoint says.
        resume(split.resolve("latest"), Map.of("max_iters", "12"));

        assertEquals(evaluations(whole).toString(), evaluations(split).toString(), "the same loss curve, number for number");
        float[][] expected = weights(whole.resolve("latest"));
        float[][] actual = weights(split.resolve("latest"));
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0f, "parameter " + i);
        }
    }

    /**
     * A run stopped between evaluations (as by Ctrl-C) writes latest/ for the step it stopped at, and resuming
     * from that checkpoint also reproduces the uninterrupted run: the stop changes nothing the run computes.
     */
    @Test
    void aRunStoppedBetweenEvaluationsResumesToTheUninterruptedOne() throws Exception {
        Path text = corpus(pangrams());
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        train(TINY, settings(12, 4), text, whole);
        TrainingRun.Summary summary = TrainingRun.run(spec(TINY, settings(12, 4), text, stopped).build(),
                new RunMode.Pretraining("char", false), new TrainingRun.RunControl(false, StopRequest.atStep(7)));
        assertEquals(7, summary.steps());
        assertTrue(summary.stoppedBy() != null);
        assertEquals(7, Checkpoint.read(stopped.resolve("latest")).state().step());
        assertEquals(4, Checkpoint.read(stopped.resolve("best")).state().step(), "best/ only moves on an evaluation");

        resume(stopped.resolve("latest"), Map.of());
        assertEquals(evaluations(whole).toString(), evaluations(stopped).toString());
        float[][] expected = weights(whole.resolve("latest"));
        float[][] actual = weights(stopped.resolve("latest"));
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0f, "parameter " + i);
        }
    }

    @Test
    void overfittingATinyTextDrivesTheLossNearZero() throws Exception {
        GptConfig noDropout = TINY.withOverrides(Map.of("dropout", "0"));
        TrainingSettings longer = new TrainingSettings(16, 300, 1e-2, 1e-3, 10, 300, 0.9, 0.99, 0.0, 1.0, 1, 300, 5, 7);
        TrainingRun.Summary summary = train(noDropout, longer, corpus(pangrams()), dir.resolve("overfit"));
        assertTrue(summary.last().trainLoss() < 0.1, "train loss " + summary.last().trainLoss());
    }

    @Test
    void theBabyPresetRunsAFewStepsOnASliceOfTinyShakespeare() throws Exception {
        String slice = Files.readString(SharedData.tinyShakespeare()).substring(0, 100_000);
        TrainingSettings few = TrainingSettings.preset("baby").withOverrides(Map.of("max_iters", "3", "eval_interval", "3",
                "eval_iters", "2"));
        TrainingRun.Summary summary = train(Presets.model("baby"), few, corpus(slice), dir.resolve("baby"));
        assertEquals(3, summary.steps());
        assertTrue(summary.valLoss() < Math.log(65) + 0.1, "starts near ln(vocabulary): " + summary.valLoss());
        for (String file : List.of("config.json", "tokenizer.json", "scratchgpt-0003.params", "optimizer.bin", "state.json",
                "metrics.jsonl", "loss.png", "README.md")) {
            assertTrue(Files.isRegularFile(dir.resolve("baby/best").resolve(file)), file);
        }
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndTheLastGoodCheckpoint() throws Exception {
        TrainingSettings explosive = settings(20, 10).withOverrides(Map.of("learning_rate", "1e30", "min_lr", "1e29",
                "warmup_iters", "0", "grad_clip", "0"));
        Path runDir = dir.resolve("diverge");
        UserError error = assertThrows(UserError.class, () -> train(TINY, explosive, corpus(pangrams()), runDir));
        assertTrue(error.getMessage().contains("training diverged at step"), error.getMessage());
        assertTrue(error.getMessage().contains(runDir.resolve("latest").toString()), error.getMessage());
        assertEquals(0, Checkpoint.read(runDir.resolve("latest")).state().step(), "the last checkpoint is the good one");
        try (var leftovers = Files.list(runDir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no half-written checkpoint");
        }
    }

    @Test
    void reducedPrecisionTrainsTheTinyTextToo() throws Exception {
        GptConfig noDropout = TINY.withOverrides(Map.of("dropout", "0"));
        TrainingSettings longer = new TrainingSettings(16, 150, 1e-2, 1e-3, 10, 150, 0.9, 0.99, 0.0, 1.0, 1, 150, 5, 7);
        for (Precision precision : List.of(Precision.BF16, Precision.FP16)) {
            TrainingRun.Summary summary = train(noDropout, longer, corpus(pangrams()), dir.resolve("low-" + precision),
                    new Compute(precision, true));
            assertTrue(summary.last().trainLoss() < 0.5, precision + ": train loss " + summary.last().trainLoss());
        }
    }

    @Test
    void aCollapsingFloat16LossScaleStopsWithAdvice() throws Exception {
        TrainingSettings explosive = settings(60, 100).withOverrides(Map.of("learning_rate", "1e30", "min_lr", "1e29",
                "warmup_iters", "0", "grad_clip", "0"));
        UserError error = assertThrows(UserError.class, () -> train(TINY, explosive, corpus(pangrams()),
                dir.resolve("fp16-collapse"), new Compute(Precision.FP16, true)));
        assertTrue(error.getMessage().contains("loss scale collapsed"), error.getMessage());
        assertTrue(error.getMessage().contains("--precision bf16"), error.getMessage());
    }

    @Test
    void damagedOrMismatchedCheckpointsAreClearErrors() throws Exception {
        Path runDir = dir.resolve("run");
        train(TINY, settings(2, 2), corpus(pangrams()), runDir);
        Path checkpoint = runDir.resolve("latest");

        Path params = checkpoint.resolve("scratchgpt-0002.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String truncated = assertThrows(UserError.class, () -> weights(checkpoint)).getMessage();
        assertTrue(truncated.contains("scratchgpt-0002.params") && truncated.contains("truncated"), truncated);

        // The manifest catches every change below first (CheckpointIntegrityTest); without one, as in checkpoints
        // written before manifests existed, the older checks still hold.
        Files.delete(checkpoint.resolve("manifest.json"));
        String unchecked = assertThrows(UserError.class, () -> weights(checkpoint)).getMessage();
        assertTrue(unchecked.contains("truncated, corrupted"), unchecked);

        Files.write(params, bytes);
        Path config = checkpoint.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"n_embd\": 32", "\"n_embd\": 16"));
        String mismatch = assertThrows(UserError.class, () -> weights(checkpoint)).getMessage();
        assertTrue(mismatch.contains("cannot be read") || mismatch.contains("do not fit"), mismatch);

        Files.writeString(config, Files.readString(config).replace("\"n_embd\": 16", "\"n_embd\": 32")
                .replace("\"vocab_size\": 64", "\"vocab_size\": 5"));
        String vocab = assertThrows(UserError.class, () -> Checkpoint.read(checkpoint)).getMessage();
        assertTrue(vocab.contains("does not belong to this model"), vocab);

        String missing = assertThrows(UserError.class, () -> Checkpoint.read(dir.resolve("nowhere"))).getMessage();
        assertTrue(missing.contains("not found"), missing);
    }

    @Test
    void aCorpusShorterThanTheContextIsAClearError() throws Exception {
        String error = assertThrows(UserError.class,
                () -> train(TINY, settings(2, 2), corpus("too short"), dir.resolve("short"))).getMessage();
        assertTrue(error.contains("context"), error);
    }

    @Test
    void aTenThousandStepRunDoesNotGrowItsMemory() throws Exception {
        GptConfig micro = new GptConfig(64, 8, 1, 2, 16, 0.0, true, PositionalEncoding.LEARNED, true);
        TrainingSettings long10k = new TrainingSettings(2, 10_000, 1e-3, 1e-4, 10, 10_000, 0.9, 0.99, 0.1, 1.0, 1,
                5_000, 1, 7);
        Path runDir = dir.resolve("10k");
        train(micro, long10k, corpus(pangrams()), runDir);
        List<JsonObject> steps = new MetricsLog(runDir.resolve(Checkpoint.METRICS)).lines().stream()
                .filter(line -> line.get("kind").getAsString().equals("step")).toList();
        assertEquals(10_000, steps.size());
        int arraysEarly = steps.get(1000).get("live_arrays").getAsInt();
        for (JsonObject step : steps.subList(1000, steps.size())) {
            assertEquals(arraysEarly, step.get("live_arrays").getAsInt(), "NDArrays alive at step " + step.get("step"));
        }
        // Native memory: resident memory less what the Java heap has claimed (the JVM grows its heap lazily
        // towards -Xmx, which is not a leak). Tensors that escaped their manager would show up here.
        double nativeEarly = nativeMegabytes(steps.get(1000));
        double nativeLate = nativeMegabytes(steps.get(steps.size() - 1));
        System.out.printf("10k steps: native memory %.0f MB at step 1000, %.0f MB at step 10000%n", nativeEarly, nativeLate);
        assertTrue(nativeLate - nativeEarly < 50, "native memory grew from " + nativeEarly + " to " + nativeLate + " MB");
    }

    private static double nativeMegabytes(JsonObject step) {
        return step.get("rss_mb").getAsDouble() - step.get("java_heap_mb").getAsDouble();
    }
}
