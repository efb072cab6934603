package org.scratchgpt.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.scratchgpt.io.ProcessMemory;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.training.TrainingRun;

/**
 * The speed of real training steps (the loop's own {@code TrainingStep}: forward, backward, clipping, AdamW) on
 * random tokens, and how much of the machine it uses: model FLOPs utilisation (MFU) is the FLOP/s the model's
 * arithmetic needs at that speed, divided by the FLOP/s a large matrix multiply reaches on the same machine,
 * measured in the same run. And how much memory a step takes: the peak resident memory during each timed step
 * less the resident memory just before it, which is the step's activations and transient arrays (the weights,
 * gradients and optimizer state were resident before the step began).
 */
public final class TrainBench {
    private TrainBench() {}

    /**
     * What one configuration measured; the memory figures are the largest over the timed steps, -1 where Linux's
     * peak counter cannot be read or reset.
     */
    public record Result(double millisPerStep, double tokensPerSecond, double flopsPerToken, double peakFlops,
            double peakResidentMegabytes, double stepExtraPeakMegabytes) {
        public double achievedFlops() {
            return flopsPerToken * tokensPerSecond;
        }

        public double mfu() {
            return achievedFlops() / peakFlops;
        }

        /** The same measurement against another peak, e.g. the best of one measured before and one after. */
        public Result against(double peak) {
            return new Result(millisPerStep, tokensPerSecond, flopsPerToken, peak, peakResidentMegabytes,
                    stepExtraPeakMegabytes);
        }
    }

    /**
     * FLOPs to train on one token, as in the PaLM paper (and nanoGPT's estimate_mfu): 6 per parameter (forward 2,
     * backward 4) plus attention's score and weighted-sum products, 12 per layer per context position per channel.
     */
    public static double flopsPerToken(GptConfig c, long parameters) {
        return 6.0 * parameters + 12.0 * c.layers() * c.contextLength() * c.embeddingWidth();
    }

    /**
     * Times training steps on {@code device}, computing as {@code compute} says, with or without activation
     * checkpointing. A GPU runs its kernels asynchronously, but each step reads its loss and gradient norm into
     * Java, which waits for them, and with them for the previous step's update: so in a steady run every timed
     * step holds one step of work, not just the time it took to queue it.
     */
    public static Result measure(GptConfig config, TrainingSettings settings, Compute compute,
            boolean checkpointActivations, Device device, int warmupSteps, int timedSteps, Path workDir,
            double peakFlops) throws IOException {
        try (Session session = new Session(config, settings, compute, checkpointActivations, device, warmupSteps,
                workDir)) {
            return session.result(session.medianStepSeconds(timedSteps), peakFlops);
        }
    }

    /**
     * A model and trainer kept open between timings, so that its steps can take turns with another
     * implementation's: the first timing runs the warm-up steps first, later ones only their timed steps.
     */
    public static final class Session implements AutoCloseable {
        private final GptConfig config;
        private final TrainingSettings settings;
        private final Model model;
        private final Trainer trainer;
        private final MeasuredSteps steps;
        private int warmupLeft;

        public Session(GptConfig config, TrainingSettings settings, Compute compute, boolean checkpointActivations,
                Device device, int warmupSteps, Path workDir) throws IOException {
            this.config = config;
            this.settings = settings;
            this.model = Model.newInstance("bench", device);
            Trainer made = null;
            try {
                model.setBlock(new Gpt(config, compute));
                Shape batch = new Shape(settings.batchSize(), config.contextLength());
                made = TrainingRun.newTrainer(model, settings.newOptimizer(), device, batch);
                this.steps = new MeasuredSteps(TrainingRun.benchmarkSteps(made, randomTokens(config, workDir), settings,
                        checkpointActivations), warmupSteps);
            } catch (IOException | RuntimeException failed) {
                // Nothing will close a session that was never made: free the model's arrays (and the trainer's) here.
                if (made != null) {
                    made.close();
                }
                model.close();
                throw failed;
            }
            this.trainer = made;
            this.warmupLeft = warmupSteps;
        }

        /** The median seconds of {@code timedSteps} steps (after the warm-up, the first time). */
        public double medianStepSeconds(int timedSteps) {
            double seconds = Timing.medianSeconds(warmupLeft, timedSteps, steps);
            warmupLeft = 0;
            return seconds;
        }

        /** One more step, untimed (e.g. under a profiler). */
        public void step() {
            steps.step.run();
        }

        /** What a step of {@code seconds} means: tokens/s, FLOPs and, against {@code peakFlops}, MFU; memory. */
        public Result result(double seconds, double peakFlops) {
            double tokensPerSecond = settings.tokensPerStep(config.contextLength()) / seconds;
            long parameters = ((Gpt) model.getBlock()).parameterCount();
            return new Result(seconds * 1000, tokensPerSecond, flopsPerToken(config, parameters), peakFlops,
                    steps.peak, steps.extraPeak);
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /**
     * Runs one training step per call and, after the warm-up ones, records the step's peak resident memory and
     * that peak less the memory resident just before the step. Reading and resetting the counters takes
     * microseconds; a step takes milliseconds at least.
     */
    private static final class MeasuredSteps implements LongSupplier {
        private final Runnable step;
        private final int warmupSteps;
        private int calls;
        double peak = -1;
        double extraPeak = -1;

        MeasuredSteps(Runnable step, int warmupSteps) {
            this.step = step;
            this.warmupSteps = warmupSteps;
        }

        @Override
        public long getAsLong() {
            double before = ProcessMemory.residentMegabytes();
            boolean reset = ProcessMemory.resetPeak();
            step.run();
            double during = ProcessMemory.peakResidentMegabytes();
            if (calls++ >= warmupSteps && reset && before >= 0 && during >= 0) {
                peak = Math.max(peak, during);
                extraPeak = Math.max(extraPeak, during - before);
            }
            return 1;
        }
    }

    /** A token file of random ids: the speed of a step does not depend on what the tokens say. */
    public static Path randomTokens(GptConfig config, Path workDir) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        int[] ids = random.ints(Math.max(100_000, 20L * config.contextLength()), 0, config.vocabSize()).toArray();
        Path file = workDir.resolve("bench-" + config.vocabSize() + ".bin");
        org.scratchgpt.tokens.TokenFile.write(file, ids, config.vocabSize());
        return file;
    }
}
