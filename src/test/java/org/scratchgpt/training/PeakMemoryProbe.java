package org.scratchgpt.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.scratchgpt.bench.TrainBench;
import org.scratchgpt.io.ProcessMemory;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;
import org.scratchgpt.model.Precision;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.TrainingSettings;

/**
 * Resident memory of real training steps, for {@link MemoryEstimateMeasuredTest}, which runs this in a JVM of its
 * own (see there why). Each argument is {@code BATCH:PRECISION:FUSED:CHECKPOINTING:CONFIG_JSON}; for each it prints one line
 * {@code measured BATCH base idle peak} (MiB): resident memory before the model exists, between steps once the
 * gradients and AdamW's moments exist, and the peak during one more step.
 */
public final class PeakMemoryProbe {
    private PeakMemoryProbe() {}

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("scratchgpt-memory");
        // Warm-up: libtorch's first operations load code and start thread pools, and the JIT compiles the training
        // step; all of that would otherwise land in the first configuration's figures. Every code path is used:
        // learned and rotary positions, dropout.
        GptConfig warmUp = new GptConfig(65, 32, 1, 2, 64, 0.0, false, PositionalEncoding.LEARNED, true);
        measure(warmUp.withOverrides(Map.of("dropout", "0.1", "bias", "true")), 2, Compute.REFERENCE, false, work);
        measure(warmUp.withOverrides(Map.of("positional_encoding", "rotary")), 2, Compute.REFERENCE, false, work);
        measure(warmUp, 2, Compute.REFERENCE, true, work);
        measure(warmUp, 2, new Compute(Precision.FP32, true), false, work);
        measure(warmUp, 2, new Compute(Precision.BF16, true), false, work);
        if (!ProcessMemory.resetPeak()) {
            throw new IllegalStateException("cannot reset the peak resident memory through /proc/self/clear_refs");
        }
        for (String arg : args) {
            String[] parts = arg.split(":", 5); // BATCH:PRECISION:FUSED:CHECKPOINTING:CONFIG_JSON
            int batch = Integer.parseInt(parts[0]);
            Compute compute = new Compute(Precision.parse(parts[1]), Boolean.parseBoolean(parts[2]));
            double[] figures = measure(GptConfig.fromJson(parts[4]), batch, compute, Boolean.parseBoolean(parts[3]),
                    work);
            System.out.printf(Locale.ROOT, "measured %d %.1f %.1f %.1f%n", batch, figures[0], figures[1], figures[2]);
        }
    }

    /** Resident MiB before the model, between steps, and at the peak of a step: the loop's own step, clipping on. */
    private static double[] measure(GptConfig config, int batch, Compute compute, boolean checkpointActivations,
            Path work) throws IOException {
        System.gc();
        double base = ProcessMemory.residentMegabytes();
        TrainingSettings settings = TrainingSettings.preset("baby")
                .withOverrides(Map.of("batch_size", Integer.toString(batch), "gradient_accumulation_steps", "1"));
        try (Model model = Model.newInstance("probe", Device.cpu())) {
            model.setBlock(new Gpt(config, compute));
            Shape batchShape = new Shape(batch, config.contextLength());
            try (Trainer trainer = TrainingRun.newTrainer(model, settings.newOptimizer(), Device.cpu(),
                    batchShape)) {
                Runnable step = TrainingRun.benchmarkSteps(trainer, TrainBench.randomTokens(config, work), settings,
                        checkpointActivations);
                step.run(); // the first step makes the gradients and AdamW's moments; they stay
                step.run();
                double idle = ProcessMemory.residentMegabytes();
                ProcessMemory.resetPeak();
                step.run();
                return new double[] {base, idle, ProcessMemory.peakResidentMegabytes()};
            }
        }
    }
}
