package org.scratchgpt.optim;

import static org.scratchgpt.config.BuilderFields.required;
import static org.scratchgpt.config.ConfigFields.longWholeNumber;
import static org.scratchgpt.config.ConfigFields.number;
import static org.scratchgpt.config.ConfigFields.requirePositive;
import static org.scratchgpt.config.ConfigFields.wholeNumber;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ConfigFields;
import org.scratchgpt.model.Presets;

/**
 * How a model is trained: batch size, how long, the learning-rate schedule, AdamW's constants, clipping,
 * accumulation and how often to evaluate. Field names are nanoGPT's ({@code max_iters}, {@code min_lr}...), so
 * its configs read the same here. The model's shape is {@link org.scratchgpt.model.GptConfig}'s business.
 *
 * @param batchSize sequences per micro-batch ({@code batch_size})
 * @param maxIters optimizer steps to run ({@code max_iters})
 * @param learningRate the peak learning rate, reached after warmup ({@code learning_rate})
 * @param minLearningRate the learning rate at the end of the cosine decay ({@code min_lr})
 * @param warmupIters steps of linear warmup ({@code warmup_iters})
 * @param decayIters the step at which the cosine decay reaches min_lr ({@code lr_decay_iters})
 * @param beta1 AdamW's momentum constant ({@code beta1})
 * @param beta2 AdamW's second-moment constant ({@code beta2})
 * @param weightDecay AdamW's decoupled weight decay, on matrices only ({@code weight_decay})
 * @param gradClip the global gradient-norm limit, 0 for none ({@code grad_clip})
 * @param accumulationSteps micro-batches per optimizer step ({@code gradient_accumulation_steps})
 * @param evalInterval steps between evaluations and checkpoints ({@code eval_interval})
 * @param evalIters batches per evaluation, for train and val loss ({@code eval_iters})
 * @param seed the seed of initialisation, data sampling and dropout ({@code seed})
 */
public record TrainingSettings(
        int batchSize,
        int maxIters,
        double learningRate,
        double minLearningRate,
        int warmupIters,
        int decayIters,
        double beta1,
        double beta2,
        double weightDecay,
        double gradClip,
        int accumulationSteps,
        int evalInterval,
        int evalIters,
        long seed) {

    public static final List<String> FIELD_NAMES = List.of("batch_size", "max_iters", "learning_rate", "min_lr",
            "warmup_iters", "lr_decay_iters", "beta1", "beta2", "weight_decay", "grad_clip",
            "gradient_accumulation_steps", "eval_interval", "eval_iters", "seed");

    private static final ConfigFields FIELDS = new ConfigFields("training settings", FIELD_NAMES);

    /**
     * The training half of each preset of {@link Presets}. {@code baby} is nanoGPT's README command for a CPU
     * ({@code --block_size=64 --batch_size=12 ... --max_iters=2000 --lr_decay_iters=2000}), {@code shakespeare-char}
     * is {@code config/train_shakespeare_char.py}, {@code gpt2-124m} is {@code config/train_gpt2.py}.
     */
    private static final TrainingSettings GPT2_TRAINING = builder()
            .batchSize(12).maxIters(600000)
            .learningRate(6e-4).minLearningRate(6e-5).warmupIters(2000).decayIters(600000)
            .beta1(0.9).beta2(0.95).weightDecay(0.1).gradClip(1.0)
            .accumulationSteps(40).evalInterval(1000).evalIters(200).seed(1337)
            .build();

    private static final Map<String, TrainingSettings> PRESETS = Map.of(
            "baby", builder()
                    .batchSize(12).maxIters(2000)
                    .learningRate(1e-3).minLearningRate(1e-4).warmupIters(100).decayIters(2000)
                    .beta1(0.9).beta2(0.99).weightDecay(0.1).gradClip(1.0)
                    .accumulationSteps(1).evalInterval(250).evalIters(20).seed(1337)
                    .build(),
            "shakespeare-char", builder()
                    .batchSize(64).maxIters(5000)
                    .learningRate(1e-3).minLearningRate(1e-4).warmupIters(100).decayIters(5000)
                    .beta1(0.9).beta2(0.99).weightDecay(0.1).gradClip(1.0)
                    .accumulationSteps(1).evalInterval(250).evalIters(200).seed(1337)
                    .build(),
            "gpt2-124m", GPT2_TRAINING,
            // The published GPT-2s continue training (fine-tuning) from nanoGPT's GPT-2 recipe too.
            "gpt2", GPT2_TRAINING, "gpt2-medium", GPT2_TRAINING, "gpt2-large", GPT2_TRAINING, "gpt2-xl", GPT2_TRAINING);

    /** The training settings of the preset called {@code name}. */
    public static TrainingSettings preset(String name) {
        Presets.get(name); // an unknown name fails here, with the list of known presets
        TrainingSettings settings = PRESETS.get(name);
        if (settings == null) {
            throw new IllegalStateException("preset " + name + " has no training settings");
        }
        return settings;
    }

    /** Checks the numbers make sense together; returns {@code this}. */
    public TrainingSettings validate() {
        requirePositive("batch_size", batchSize);
        requirePositive("max_iters", maxIters);
        requirePositive("learning_rate", learningRate);
        requirePositive("gradient_accumulation_steps", accumulationSteps);
        requirePositive("eval_interval", evalInterval);
        requirePositive("eval_iters", evalIters);
        if ((long) batchSize * accumulationSteps > Integer.MAX_VALUE) {
            // Counted in an int everywhere (plan's micro-batches, the loop's steps): it would overflow to nonsense.
            throw new UserError("batch_size " + batchSize + " x gradient_accumulation_steps " + accumulationSteps
                    + " is more than " + Integer.MAX_VALUE + " sequences per step: lower one of them");
        }
        if (minLearningRate < 0 || minLearningRate > learningRate) {
            throw new UserError("min_lr " + minLearningRate + " must be between 0 and learning_rate " + learningRate);
        }
        if (warmupIters < 0 || warmupIters > decayIters) {
            throw new UserError("warmup_iters " + warmupIters + " must be between 0 and lr_decay_iters " + decayIters);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new UserError("beta1 and beta2 must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(weightDecay >= 0) || !(gradClip >= 0)) {
            throw new UserError("weight_decay and grad_clip must be 0 or more, got " + weightDecay + " and " + gradClip);
        }
        return this;
    }

    /** A copy with some fields replaced ({@code max_iters=100}), validated. */
    public TrainingSettings withOverrides(Map<String, String> overrides) {
        return fromFields(FIELDS.overridden(FIELDS.fromComplete(toJsonObject()), overrides)).validate();
    }

    /** Whether {@code name} is a training field (the others of a mixed set of overrides are the model's). */
    public static boolean isField(String name) {
        return FIELD_NAMES.contains(name);
    }

    /** The training fields of a mixed set of overrides ({@code training = true}), or the others. */
    public static Map<String, String> select(Map<String, String> fields, boolean training) {
        Map<String, String> picked = new java.util.LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (isField(name) == training) {
                picked.put(name, value);
            }
        });
        return picked;
    }

    public JsonObject toJsonObject() {
        JsonObject json = new JsonObject();
        json.addProperty("batch_size", batchSize);
        json.addProperty("max_iters", maxIters);
        json.addProperty("learning_rate", learningRate);
        json.addProperty("min_lr", minLearningRate);
        json.addProperty("warmup_iters", warmupIters);
        json.addProperty("lr_decay_iters", decayIters);
        json.addProperty("beta1", beta1);
        json.addProperty("beta2", beta2);
        json.addProperty("weight_decay", weightDecay);
        json.addProperty("grad_clip", gradClip);
        json.addProperty("gradient_accumulation_steps", accumulationSteps);
        json.addProperty("eval_interval", evalInterval);
        json.addProperty("eval_iters", evalIters);
        json.addProperty("seed", seed);
        return json;
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJsonObject());
    }

    public static TrainingSettings fromJson(String text) {
        return fromFields(FIELDS.fromJson(text)).validate();
    }

    public static TrainingSettings fromJsonObject(JsonObject json) {
        return fromFields(FIELDS.fromJsonObject(json)).validate();
    }

    private static TrainingSettings fromFields(Map<String, String> f) {
        FIELDS.requireComplete(f);
        return new TrainingSettings(wholeNumber(f, "batch_size"), wholeNumber(f, "max_iters"),
                number(f, "learning_rate"), number(f, "min_lr"), wholeNumber(f, "warmup_iters"),
                wholeNumber(f, "lr_decay_iters"), number(f, "beta1"), number(f, "beta2"), number(f, "weight_decay"),
                number(f, "grad_clip"), wholeNumber(f, "gradient_accumulation_steps"), wholeNumber(f, "eval_interval"),
                wholeNumber(f, "eval_iters"), longWholeNumber(f, "seed"));
    }

    /** nanoGPT's learning-rate schedule with these settings' numbers. */
    public WarmupCosineSchedule schedule() {
        return new WarmupCosineSchedule(learningRate(), minLearningRate(), warmupIters(), decayIters());
    }

    /** AdamW with the warmup + cosine schedule, as these settings say. */
    public AdamW newOptimizer() {
        return AdamW.builder().learningRate(schedule()).betas(beta1(), beta2()).weightDecay(weightDecay()).build();
    }

    /** Tokens consumed per optimizer step. */
    public long tokensPerStep(int contextLength) {
        return (long) batchSize * accumulationSteps * contextLength;
    }

    /** Settings given field by field, each by its name, so that a preset says what every number is. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every field must be given: there are no defaults to fall back on, so a preset that forgets one fails when it is
     * built instead of training with a 0.
     */
    public static final class Builder {
        private static final String RECORD = "training settings"; // as errors name it

        private Integer batchSize;
        private Integer maxIters;
        private Double learningRate;
        private Double minLearningRate;
        private Integer warmupIters;
        private Integer decayIters;
        private Double beta1;
        private Double beta2;
        private Double weightDecay;
        private Double gradClip;
        private Integer accumulationSteps;
        private Integer evalInterval;
        private Integer evalIters;
        private Long seed;

        private Builder() {}

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder maxIters(int value) {
            maxIters = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder minLearningRate(double value) {
            minLearningRate = value;
            return this;
        }

        public Builder warmupIters(int value) {
            warmupIters = value;
            return this;
        }

        public Builder decayIters(int value) {
            decayIters = value;
            return this;
        }

        public Builder beta1(double value) {
            beta1 = value;
            return this;
        }

        public Builder beta2(double value) {
            beta2 = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder gradClip(double value) {
            gradClip = value;
            return this;
        }

        public Builder accumulationSteps(int value) {
            accumulationSteps = value;
            return this;
        }

        public Builder evalInterval(int value) {
            evalInterval = value;
            return this;
        }

        public Builder evalIters(int value) {
            evalIters = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public TrainingSettings build() {
            return new TrainingSettings(required(RECORD, "batch_size", batchSize),
                    required(RECORD, "max_iters", maxIters), required(RECORD, "learning_rate", learningRate),
                    required(RECORD, "min_lr", minLearningRate), required(RECORD, "warmup_iters", warmupIters),
                    required(RECORD, "lr_decay_iters", decayIters), required(RECORD, "beta1", beta1),
                    required(RECORD, "beta2", beta2), required(RECORD, "weight_decay", weightDecay),
                    required(RECORD, "grad_clip", gradClip),
                    required(RECORD, "gradient_accumulation_steps", accumulationSteps),
                    required(RECORD, "eval_interval", evalInterval), required(RECORD, "eval_iters", evalIters),
                    required(RECORD, "seed", seed));
        }
    }
}
