package org.scratchgpt.training;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.model.Compute;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * A training checkpoint: a folder holding everything needed to sample from the model or to continue its
 * training exactly where it stopped.
 *
 * <pre>
 *   config.json        the model's shape and the training settings
 *   tokenizer.json     the tokenizer (HuggingFace format)
 *   scratchgpt-N.params the weights, in DJL's format (N = the step), loadable with DJL's Criteria
 *   optimizer.bin      AdamW's moments and step counts
 *   state.json         where the loop was: step, data sampler state, best val loss, tokens seen, and
 *                      whether it checkpointed activations
 *   metrics.jsonl      the numbers so far;  loss.png  their curves;  README.md  a model card
 * </pre>
 *
 * The folder is written whole and then swapped in ({@link org.scratchgpt.io.AtomicFiles#replaceDirectory}):
 * a crash never leaves half a checkpoint.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PARAMETERS = "scratchgpt";
    static final String OPTIMIZER = "optimizer.bin";
    static final String STATE = "state.json";
    static final String METRICS = "metrics.jsonl";
    static final String PLOT = "loss.png";
    static final String CARD = "README.md";

    private Checkpoint() {}

    /**
     * Where the training loop was when the checkpoint was written, and how it computed: a resumed run continues
     * with the same precision and attention kernel, float16's loss scale where it was, and activation
     * checkpointing as it was (its dropout masks are drawn per stage, so a resumed run must keep to it to draw the
     * same ones).
     */
    public record RunState(long step, long samplerState, double bestValLoss, long tokensSeen, double trainingSeconds,
            String preset, String corpus, Compute compute, double lossScale, int lossScaleGoodSteps,
            boolean checkpointActivations) {
        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("step", step);
            json.addProperty("sampler_state", samplerState);
            json.addProperty("best_val_loss", bestValLoss);
            json.addProperty("tokens_seen", tokensSeen);
            json.addProperty("training_seconds", trainingSeconds);
            json.addProperty("preset", preset);
            json.addProperty("corpus", corpus);
            json.addProperty("precision", compute.precision().cliName());
            json.addProperty("fused_attention", compute.fusedAttention());
            json.addProperty("loss_scale", lossScale);
            json.addProperty("loss_scale_good_steps", lossScaleGoodSteps);
            json.addProperty("checkpoint_activations", checkpointActivations);
            return json;
        }

        static RunState fromJson(JsonObject json) {
            return new RunState(json.get("step").getAsLong(), json.get("sampler_state").getAsLong(),
                    json.get("best_val_loss").getAsDouble(), json.get("tokens_seen").getAsLong(),
                    json.get("training_seconds").getAsDouble(), json.get("preset").getAsString(),
                    json.get("corpus").getAsString(), computeOf(json),
                    json.has("loss_scale") ? json.get("loss_scale").getAsDouble() : 0,
                    json.has("loss_scale_good_steps") ? json.get("loss_scale_good_steps").getAsInt() : 0,
                    // absent from checkpoints written before the option existed, which all ran without it
                    json.has("checkpoint_activations") && json.get("checkpoint_activations").getAsBoolean());
        }

        /** Checkpoints written before precision was a choice computed as the reference does. */
        private static Compute computeOf(JsonObject json) {
            if (!json.has("precision")) {
                return Compute.REFERENCE;
            }
            return new Compute(Precision.parse(json.get("precision").getAsString()),
                    json.get("fused_attention").getAsBoolean());
        }
    }

    /** A checkpoint's description, read without touching the weights. */
    public record Contents(Path dir, GptConfig model, TrainingSettings training, Tokenizer tokenizer, RunState state) {}

    // ---------------------------------------------------------------- writing

    /** Writes every file of a checkpoint into {@code dir} (a fresh folder; see {@link TrainingRun}). */
    static void writeInto(Path dir, Model model, GptConfig config, TrainingSettings training, Path tokenizerJson,
            AdamW optimizer, RunState state, MetricsLog metrics, String card) throws IOException {
        JsonObject json = new JsonObject();
        json.add("model", config.toJsonObject());
        json.add("training", training.toJsonObject());
        writeJson(dir.resolve(CONFIG), json);
        Files.copy(tokenizerJson, dir.resolve(TOKENIZER));
        model.setProperty("Epoch", Long.toString(state.step()));
        model.save(dir, PARAMETERS);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(OPTIMIZER)))) {
            optimizer.saveState(out, model.getBlock().getParameters());
        }
        writeJson(dir.resolve(STATE), state.toJson());
        if (Files.exists(metrics.file())) {
            Files.copy(metrics.file(), dir.resolve(METRICS));
            LossPlot.write(dir.resolve(PLOT), state.preset() + ": loss", new MetricsLog(dir.resolve(METRICS)).evaluations());
        }
        Files.writeString(dir.resolve(CARD), card, StandardCharsets.UTF_8);
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reading

    /** Reads a checkpoint's config, tokenizer and state, checking that they belong together. */
    public static Contents read(Path dir) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new UserError("checkpoint " + dir + " is a file: give the checkpoint's folder, the one that holds"
                    + " config.json, e.g. models/baby/best");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError("checkpoint " + dir + " not found: train one with `scratchgpt train`, or give the folder"
                    + " of a checkpoint (e.g. models/baby/best)");
        }
        JsonObject config = readJson(dir.resolve(CONFIG));
        GptConfig model = GptConfig.fromJsonObject(config.getAsJsonObject("model"));
        TrainingSettings training = TrainingSettings.fromJsonObject(config.getAsJsonObject("training"));
        Tokenizer tokenizer = TokenizerJson.load(require(dir.resolve(TOKENIZER)));
        if (tokenizer.vocabSize() > model.vocabSize()) {
            throw new UserError("the tokenizer in " + dir + " has " + tokenizer.vocabSize() + " tokens but the model only "
                    + model.vocabSize() + " (vocab_size): the tokenizer does not belong to this model");
        }
        return new Contents(dir, model, training, tokenizer, RunState.fromJson(readJson(dir.resolve(STATE))));
    }

    /**
     * Gives {@code model} (whose block is the checkpoint's GPT) its shapes for inputs of {@code inputShape}, then
     * the checkpoint's weights, checked against those shapes.
     */
    public static void loadInto(Model model, Path dir, Shape inputShape) {
        model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
        loadParameters(model, dir);
    }

    /**
     * Loads the weights into {@code model}, whose block must already be initialised for the checkpoint's config,
     * and checks that every parameter kept its shape (a folder of another config fails here, not mid-forward).
     */
    public static void loadParameters(Model model, Path dir) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        try {
            model.load(dir, PARAMETERS);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new UserError("the weights in " + dir + " cannot be read (" + e.getMessage() + "): the parameter file is"
                    + " truncated, corrupted or from another model; use another checkpoint, e.g. best/ or latest/", e);
        }
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            var shape = p.getValue().getArray().getShape();
            if (!shape.equals(expected.get(p.getKey()))) {
                throw new UserError("the weights in " + dir + " do not fit its config.json: " + p.getKey() + " has shape "
                        + shape + ", the config needs " + expected.get(p.getKey()));
            }
        }
    }

    /** Restores the optimizer's moments and step counts. */
    static void loadOptimizer(AdamW optimizer, Model model, Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(require(dir.resolve(OPTIMIZER))))) {
            optimizer.loadState(in, model.getBlock().getParameters());
        } catch (java.io.EOFException e) {
            throw new UserError(dir.resolve(OPTIMIZER) + " is truncated: resume from another checkpoint", e);
        }
    }

    private static JsonObject readJson(Path file) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(require(file), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new UserError(file + " is not valid JSON (" + e.getMessage() + "): the checkpoint is damaged", e);
        }
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("checkpoint file " + file + " is missing: the folder is not a complete checkpoint");
        }
        return file;
    }

    /** A short model card: what this is, how well it does, how to use it. */
    static String card(GptConfig config, TrainingSettings training, RunState state, Evaluation.Result eval, long parameters) {
        return String.format(Locale.ROOT, """
                # ScratchGPT checkpoint: %s, step %d

                A GPT with %,d parameters (%d layers, %d heads, %d wide, context %d, vocabulary %d, %s positions),
                trained by ScratchGPT on %,d tokens in %.0f s.

                | step | train loss | val loss | val perplexity | val bits per byte |
                |---:|---:|---:|---:|---:|
                | %d | %.4f | %.4f | %.2f | %.3f |

                Best val loss so far: %.4f. Settings: `config.json`; curves: `loss.png`; numbers: `metrics.jsonl`.

                Sample:   ./scratchgpt sample --checkpoint <this folder> --prompt "ROMEO:"
                Continue: ./scratchgpt train --resume <this folder>
                In DJL:   Criteria.builder().setTypes(int[].class, float[].class).optModelPath(<this folder>)
                              .optModelName("%s").optBlock(new Gpt(config)).optTranslator(new NextTokenLogitsTranslator())
                """, state.preset(), state.step(), parameters, config.layers(), config.heads(), config.embeddingWidth(),
                config.contextLength(), config.vocabSize(), config.positionalEncoding().jsonName(), state.tokensSeen(),
                state.trainingSeconds(), eval.step(), eval.trainLoss(), eval.valLoss(), eval.perplexity(),
                eval.bitsPerByte(), state.bestValLoss(), PARAMETERS);
    }
}
