package org.scratchgpt.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchgpt.config.ConfigFields;

/**
 * The schedule of a fine-tuning run, derived from the settings its source model was trained with. Fine-tuning
 * adjusts weights that already work, so it takes small, short steps: a large learning rate would first undo
 * what the model knows (nanoGPT's finetune_shakespeare.py trains GPT-2 with a learning rate 20 times below its
 * pretraining one, for 20 steps). The defaults:
 *
 * <ul>
 *   <li>{@code max_iters} 200;
 *   <li>{@code learning_rate} a tenth of the source's, decaying (cosine) to a tenth of that ({@code min_lr}) at
 *       {@code lr_decay_iters} = {@code max_iters};
 *   <li>{@code warmup_iters} a twentieth of {@code max_iters}: the fresh AdamW's moments start at zero, and a short
 *       warmup keeps its first, noisy steps small;
 *   <li>{@code eval_interval} a quarter of {@code max_iters}, so the run reports (and keeps best/) four times;
 *   <li>the rest (batch size, accumulation, AdamW's betas and weight decay, clipping, eval_iters, seed) as the
 *       source was trained.
 * </ul>
 *
 * Every field can be overridden ({@code --set}); a {@code max_iters} or {@code learning_rate} given without the
 * fields derived from it moves them with it.
 */
public final class FinetuneSettings {
    static final int DEFAULT_MAX_ITERS = 200;

    private FinetuneSettings() {}

    /** The fine-tuning settings for a model trained with {@code source}, with the training fields of {@code overrides}. */
    public static TrainingSettings of(TrainingSettings source, Map<String, String> overrides) {
        // Read as train reads them, so a mistyped value fails the same way.
        int maxIters = overrides.containsKey("max_iters") ? ConfigFields.wholeNumber(overrides, "max_iters")
                : DEFAULT_MAX_ITERS;
        double learningRate = overrides.containsKey("learning_rate") ? ConfigFields.number(overrides, "learning_rate")
                : source.learningRate() / 10;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("max_iters", Integer.toString(maxIters));
        fields.put("learning_rate", Double.toString(learningRate));
        fields.put("min_lr", Double.toString(learningRate / 10));
        fields.put("lr_decay_iters", Integer.toString(maxIters));
        fields.put("warmup_iters", Integer.toString(maxIters / 20));
        fields.put("eval_interval", Integer.toString(Math.max(1, maxIters / 4)));
        fields.putAll(overrides);
        return source.withOverrides(fields);
    }
}
