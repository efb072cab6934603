package org.scratchgpt.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.PrecisionSpeed;

/**
 * "What each technique buys": the same model's training steps timed again with one technique more per row, in
 * one run: float32 with attention written out, then fused attention, then bf16, then activation checkpointing,
 * then gradient accumulation (half the micro-batch, twice the micro-batches: the same tokens per step).
 * Checkpointing and accumulation build on bf16 where this machine measured bf16 faster than float32
 * ({@link PrecisionSpeed}); elsewhere they build on fused float32, the faster path there.
 */
public final class Ablation {
    private Ablation() {}

    /** One row: what was added, how the step computed, and what it measured. */
    public record Row(String added, Compute compute, boolean checkpointActivations, TrainingSettings settings,
            TrainBench.Result result) {}

    record Variant(String added, Compute compute, boolean checkpointActivations, TrainingSettings settings) {}

    /** The rows, in order: the later ones build on bf16 only where {@code bf16Speed} says it is faster here. */
    static List<Variant> variants(TrainingSettings training, PrecisionSpeed bf16Speed) {
        Compute fused = new Compute(Precision.FP32, true);
        Compute bf16 = new Compute(Precision.BF16, true);
        Compute best = bf16Speed.fasterThanFloat32() ? bf16 : fused;
        String on = bf16Speed.fasterThanFloat32() ? "" : " (on fused float32: bf16 is not faster here)";
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("float32, attention written out", Compute.REFERENCE, false, training),
                new Variant("+ fused attention", fused, false, training),
                new Variant("+ bf16", bf16, false, training),
                new Variant("+ activation checkpointing" + on, best, true, training)));
        if (training.batchSize() % 2 == 0) {
            TrainingSettings halved = training.withOverrides(Map.of(
                    "batch_size", Integer.toString(training.batchSize() / 2),
                    "gradient_accumulation_steps", Integer.toString(training.accumulationSteps() * 2)));
            variants.add(new Variant("+ accumulation (half the micro-batch, twice the micro-batches)" + on, best, true,
                    halved));
        }
        return variants;
    }

    /** Times every row, in order, on {@code device}, handing each to {@code report} as soon as it is measured. */
    public static void run(GptConfig model, TrainingSettings training, Device device, int warmupSteps,
            int timedSteps, Path workDir, double peakFlops, Consumer<Row> report) throws IOException {
        for (Variant v : variants(training, PrecisionSpeed.on(device, Precision.BF16))) {
            TrainBench.Result result = TrainBench.measure(model, v.settings(), v.compute(), v.checkpointActivations(),
                    device, warmupSteps, timedSteps, workDir, peakFlops);
            report.accept(new Row(v.added(), v.compute(), v.checkpointActivations(), v.settings(), result));
        }
    }
}
