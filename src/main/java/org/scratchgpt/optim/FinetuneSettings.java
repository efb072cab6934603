package org.scratchgpt.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchgpt.config.ConfigFields;

/**
 * The settings of a fine-tuning run. Fine-tuning adjusts weights that already work, so it takes small, short steps:
 * a large learning rate would first undo what the model knows, and a pretraining-sized step is wasted on a run of a
 * few hundred steps (nanoGPT's finetune_shakespeare.py trains GPT-2 with a learning rate 20 times below its
 * pretraining one, for 20 steps of 32 sequences, evaluating on 40). The defaults:
 *
 * <ul>
 *   <li>{@code max_iters} 200;
 *   <li>{@code learning_rate} a tenth of the source's, decaying (cosine) to a tenth of that ({@code min_lr}) at
 *       {@code lr_decay_iters} = {@code max_iters};
 *   <li>{@code warmup_iters} a twentieth of {@code max_iters}: the fresh AdamW's moments start at zero, and a short
 *       warmup keeps its first, noisy steps small;
 *   <li>{@code eval_interval} a quarter of {@code max_iters}, so the run reports (and keeps best/) four times;
 *   <li>a step sized to the model and the machine, whatever the source was pretrained with: no gradient
 *       accumulation, and a {@code batch_size} whose step is about {@link #CPU_STEP_OPERATIONS} arithmetic operations
 *       on a CPU (a second or two) or {@link #GPU_STEP_OPERATIONS} on a GPU, at least 1 and at most the source's
 *       batch (what it was trained with fitted in memory). A GPT-2 imported with the gpt2 preset's pretraining
 *       settings (12 sequences x 40 accumulated, 200 evaluation batches) would otherwise take a minute a step on a
 *       CPU and say nothing for ten;
 *   <li>{@code eval_iters} enough batches for {@link #EVAL_SEQUENCES} sequences (nanoGPT's finetune_shakespeare.py
 *       evaluates 40), at most the source's;
 *   <li>the rest (AdamW's betas and weight decay, clipping, seed) as the source was trained.
 * </ul>
 *
 * Every field can be overridden ({@code --set}); a {@code max_iters}, {@code learning_rate} or {@code batch_size}
 * given without the fields derived from it moves them with it.
 */
public final class FinetuneSettings {
    public static final int DEFAULT_MAX_ITERS = 200;
    /** A training step costs about 6 operations per parameter per token (2 forward, 4 backward). */
    private static final double OPERATIONS_PER_PARAMETER_TOKEN = 6;
    /** A step's arithmetic on a CPU: about a second on a few cores. */
    static final double CPU_STEP_OPERATIONS = 1e11;
    /** A step's arithmetic on a GPU: well under a second. */
    static final double GPU_STEP_OPERATIONS = 3e13;
    /** Sequences per evaluation of each split. */
    static final int EVAL_SEQUENCES = 40;

    private FinetuneSettings() {}

    /**
     * What the step is sized to: the model's parameters and context, and whether it trains on a GPU.
     *
     * @param parameters the model's parameter count
     * @param contextLength the tokens of one sequence
     * @param gpu whether the run trains on a GPU
     */
    public record ModelAndMachine(double parameters, int contextLength, boolean gpu) {}

    /**
     * The fine-tuning settings for a model trained with {@code source}, running on {@code target}, with the training
     * fields of {@code overrides}.
     */
    public static TrainingSettings of(TrainingSettings source, ModelAndMachine target, Map<String, String> overrides) {
        // Read as train reads them, so a mistyped value fails the same way.
        int maxIters = overrides.containsKey("max_iters") ? ConfigFields.wholeNumber(overrides, "max_iters")
                : DEFAULT_MAX_ITERS;
        double learningRate = overrides.containsKey("learning_rate") ? ConfigFields.number(overrides, "learning_rate")
                : source.learningRate() / 10;
        int batchSize = overrides.containsKey("batch_size") ? ConfigFields.wholeNumber(overrides, "batch_size")
                : batchSize(source, target);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("max_iters", Integer.toString(maxIters));
        fields.put("learning_rate", Double.toString(learningRate));
        fields.put("min_lr", Double.toString(learningRate / 10));
        fields.put("lr_decay_iters", Integer.toString(maxIters));
        fields.put("warmup_iters", Integer.toString(maxIters / 20));
        fields.put("eval_interval", Integer.toString(Math.max(1, maxIters / 4)));
        fields.put("batch_size", Integer.toString(batchSize));
        fields.put("gradient_accumulation_steps", "1");
        fields.put("eval_iters", Integer.toString(evalIters(source, batchSize)));
        fields.putAll(overrides);
        return source.withOverrides(fields);
    }

    /** The sequences whose step costs about the machine's budget, between 1 and the source's batch. */
    static int batchSize(TrainingSettings source, ModelAndMachine target) {
        double budget = target.gpu() ? GPU_STEP_OPERATIONS : CPU_STEP_OPERATIONS;
        double sequenceCost = OPERATIONS_PER_PARAMETER_TOKEN * target.parameters() * target.contextLength();
        long sequences = (long) Math.floor(budget / sequenceCost);
        return (int) Math.max(1, Math.min(source.batchSize(), sequences));
    }

    /** Batches for about {@link #EVAL_SEQUENCES} sequences, at least 1, at most the source's. */
    private static int evalIters(TrainingSettings source, int batchSize) {
        int batches = Math.max(1, (EVAL_SEQUENCES + batchSize - 1) / Math.max(1, batchSize));
        return Math.min(source.evalIters(), batches);
    }
}
