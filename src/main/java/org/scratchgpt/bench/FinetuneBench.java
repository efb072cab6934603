package org.scratchgpt.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import org.scratchgpt.lora.LoraModel;
import org.scratchgpt.lora.LoraSettings;
import org.scratchgpt.lora.LoraTarget;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.plan.Timing;
import org.scratchgpt.training.TrainingRun;

/**
 * What fine-tuning a model costs: how many parameters it trains, how much memory AdamW's moments take for them
 * (two float32 numbers per trained parameter, measured from the optimizer after the steps, not computed), and how
 * long a training step takes. The steps are the training loop's own ({@link TrainingRun#benchmarkSteps}) on random
 * tokens, with random weights of the model's shape: the cost of a step does not depend on what the weights are.
 *
 * <p>Each row is one {@link Method}: what is trained. Full fine-tuning trains every parameter; a method that
 * freezes the base and trains small added blocks (LoRA) is another {@code Method} whose {@link Method#adapt} changes
 * the model before its trainer is made, and the same measurement applies.
 */
public final class FinetuneBench {
    private FinetuneBench() {}

    /**
     * What is trained: {@code adapt} gets the freshly initialised GPT (in {@code model}) and may wrap it, add
     * blocks, or freeze parameters ({@code Parameter.freeze}) before the optimizer sees them.
     */
    public record Method(String name, Adaptation adapt) {
        /** Every parameter trained, as {@code scratchgpt finetune} does. */
        public static Method full() {
            return new Method("full fine-tuning", (model, batch) -> { });
        }

        /** LoRA adapters as {@code settings} say, on the frozen model ({@code scratchgpt finetune --lora}). */
        public static Method lora(LoraSettings settings) {
            return new Method("LoRA rank " + settings.rank() + " (" + settings.targets().stream().sorted()
                    .map(LoraTarget::cliName).collect(java.util.stream.Collectors.joining(",")) + ")",
                    (model, batch) -> model.setBlock(LoraModel.withAdapters((Gpt) model.getBlock(), settings,
                            model.getNDManager(), batch)));
        }
    }

    /** Changes what a model trains, once its block is initialised for {@code batch}. */
    public interface Adaptation {
        void apply(Model model, Shape batch);
    }

    /** One measured row. */
    public record Result(String method, long parameters, long trainableParameters, long optimizerBytes,
            double millisPerStep, double tokensPerSecond) {
        public double trainableFraction() {
            return (double) trainableParameters / parameters;
        }
    }

    public static Result measure(Method method, GptConfig config, TrainingSettings settings, Compute compute,
            Device device, int warmupSteps, int timedSteps, Path workDir) throws IOException {
        try (Model model = Model.newInstance("bench", device)) {
            model.setBlock(new Gpt(config, compute));
            Shape batch = new Shape(settings.batchSize(), config.contextLength());
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, batch);
            method.adapt().apply(model, batch);
            AdamW optimizer = settings.newOptimizer();
            try (Trainer trainer = TrainingRun.newTrainer(model, optimizer, device, batch)) {
                Runnable step = TrainingRun.benchmarkSteps(trainer, TrainBench.randomTokens(config, workDir), settings,
                        false);
                double seconds = Timing.medianSeconds(warmupSteps, timedSteps, () -> {
                    step.run();
                    return 1;
                });
                long all = 0;
                long trainable = 0;
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    long size = p.getValue().getArray().size();
                    all += size;
                    trainable += p.getValue().requiresGradient() ? size : 0;
                }
                return new Result(method.name(), all, trainable, optimizer.momentBytes(), seconds * 1000,
                        settings.tokensPerStep(config.contextLength()) / seconds);
            }
        }
    }
}
