package org.scratchgpt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.Gpus;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.AdamW;

/**
 * The training loop on a GPU against the same loop on the CPU, and checkpoints crossing between them. Needs a GPU
 * and the CUDA libtorch: {@code .ci/gpu-tests} runs it; the default test run leaves it out.
 */
@Tag(Gpus.TAG)
class GpuTrainingTest {
    @TempDir Path dir;

    /** TrainingRunTest's model without dropout: a GPU draws other random masks than the CPU for the same seed. */
    static final GptConfig NO_DROPOUT = new GptConfig(64, 16, 2, 2, 32, 0.0, true, PositionalEncoding.LEARNED, true);

    /**
     * float32 on both (libtorch keeps TF32 off for float32 matrix products unless asked), but a GPU adds up its sums
     * in other orders, so results differ in the last bits, about 1e-6 relative, and training carries that on. The
     * bound leaves room for four AdamW steps; a different batch or a weight left behind moves a loss far more.
     */
    static final double RELATIVE_TOLERANCE = 1e-3;

    @BeforeAll
    static void needsAGpu() {
        Gpus.require();
    }

    private Path train(Device device, int maxIters, Path runDir) throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        if (!Files.exists(corpus)) {
            Files.writeString(corpus, TrainingRunTest.pangrams());
        }
        TrainingRun.run(TrainingRunTest.spec(NO_DROPOUT, TrainingRunTest.settings(maxIters, 4), corpus, runDir)
                .device(device).build(), new RunMode.Pretraining("char", false), TrainingRun.RunControl.defaults());
        return runDir;
    }

    @Test
    void trainingStepsOnTheGpuGiveTheLossesOfTheCpu() throws Exception {
        assertGpuFollowsCpu("fp32", Compute.REFERENCE, RELATIVE_TOLERANCE);
    }

    /**
     * The fast paths on the GPU (flash attention, bfloat16 tensor cores) continue the CPU's float32 reference run
     * with losses within bfloat16's rounding: 2% relative, the bound of the CPU's own bf16 test.
     */
    @Test
    void bfloat16AndFusedAttentionOnTheGpuFollowTheFloat32CpuRun() throws Exception {
        assertGpuFollowsCpu("bf16", new Compute(Precision.BF16, true), 2e-2);
    }

    /**
     * Steps 4 to 8 on the CPU (float32, the reference) and on the GPU (computing as {@code onGpu} says) give the
     * same losses within {@code tolerance}, relative. Both continue from one checkpoint written on the CPU (weights,
     * AdamW's moments, the data sampler): initial weights drawn on the GPU would differ, since its random
     * generator is not the CPU's.
     */
    private void assertGpuFollowsCpu(String name, Compute onGpu, double tolerance) throws Exception {
        Path start = train(Device.cpu(), 4, dir.resolve("start-" + name));
        Path cpu = copyFolder(start, dir.resolve("cpu-" + name));
        Path gpu = copyFolder(start, dir.resolve("gpu-" + name));
        TrainingRunTest.resume(cpu.resolve("latest"), Map.of("max_iters", "8"));
        TrainingRun.resume(gpu.resolve("latest"), Continuation.builder().device(Device.gpu(0))
                .showProgressBar(false).logInterval(1000).trainingOverrides(Map.of("max_iters", "8"))
                .compute(java.util.Optional.of(onGpu)).build(), TrainingRun.RunControl.defaults());

        List<Double> expected = lossesAfterStep4(cpu);
        List<Double> actual = lossesAfterStep4(gpu);
        assertEquals(6, expected.size(), "steps 4 to 7, then train and val loss at step 8: " + expected);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), tolerance * expected.get(i),
                    "loss " + i + ": CPU " + expected + ", GPU " + name + " " + actual);
        }
    }

    @Test
    void aCheckpointWrittenOnTheGpuLoadsOnTheCpu() throws Exception {
        Path run = train(Device.gpu(0), 4, dir.resolve("run"));
        float[][] onGpu = TrainingRunTest.weights(run.resolve("latest"), Device.gpu(0));
        float[][] onCpu = TrainingRunTest.weights(run.resolve("latest"), Device.cpu());
        for (int i = 0; i < onGpu.length; i++) {
            assertArrayEquals(onGpu[i], onCpu[i], 0f, "parameter " + i + ": the same bits, wherever it is loaded");
        }
        // Training goes on from it on the CPU, AdamW's moments included.
        TrainingRun.Summary resumed = TrainingRunTest.resume(run.resolve("latest"), Map.of("max_iters", "6"));
        assertEquals(6, resumed.steps());
    }

    /** Each step's loss from step 4 on, then the train and val loss of the evaluations after step 4. */
    private static List<Double> lossesAfterStep4(Path runDir) throws IOException {
        List<JsonObject> lines = new MetricsLog(runDir.resolve(Checkpoint.METRICS)).lines();
        Stream<Double> steps = lines.stream()
                .filter(l -> l.get("kind").getAsString().equals("step") && l.get("step").getAsLong() >= 4)
                .map(l -> l.get("loss").getAsDouble());
        Stream<Double> evaluations = lines.stream()
                .filter(l -> l.get("kind").getAsString().equals("eval") && l.get("step").getAsLong() > 4)
                .flatMap(l -> Stream.of(l.get("train_loss").getAsDouble(), l.get("val_loss").getAsDouble()));
        return Stream.concat(steps, evaluations).toList();
    }

    private static Path copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }
}
