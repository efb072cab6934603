package org.scratchgpt.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.io.CrashPoint;
import org.scratchgpt.io.Failures;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.optim.AdamW;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * A training checkpoint: a folder holding everything needed to sample from the model or to continue its
 * training exactly where it stopped.
 *
 * <pre>
 *   config.json        the model's shape and the training settings
 *   tokenizer.json     the tokenizer (HuggingFace format)
 *   scratchgpt-N.params the weights, in DJL's format (N = the step), loadable with DJL's Criteria; a LoRA run
 *                      writes lora.json and adapters.bin instead and names its frozen base in state.json
 *                      (the LoRA package's {@code LoraCheckpoint})
 *   optimizer.bin      AdamW's moments and step counts
 *   state.json         where the loop was: step, data sampler state, best val loss, tokens seen, and
 *                      whether it checkpointed activations; what it learns from (corpus, dataset or conversations)
 *   metrics.jsonl      the numbers so far;  loss.png  their curves;  README.md  a model card
 *   manifest.json      the size and SHA-256 of each file above but the last three, written last
 * </pre>
 *
 * The folder is written whole and then swapped in ({@link org.scratchgpt.io.AtomicFiles#replaceDirectory}):
 * a crash never leaves half a checkpoint. Reading checks each file against the manifest ({@link Manifest}), so a
 * damaged or foreign file is named instead of being loaded as if it were the model.
 */
public final class Checkpoint {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checkpoint.class);
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PARAMETERS = "scratchgpt";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String STATE = "state.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String PLOT = "loss.png";
    public static final String CARD = "README.md";
    /** A LoRA checkpoint's settings, in place of the weights file (written by the LoRA package). */
    public static final String ADAPTER_SETTINGS = "lora.json";

    private Checkpoint() {}

    /** A checkpoint's description, read without touching the weights. */
    public record Contents(Path dir, GptConfig model, TrainingSettings training, Tokenizer tokenizer, RunState state) {}

    // ---------------------------------------------------------------- writing

    /**
     * How a checkpoint's weights are written: the whole model in DJL's format ({@link #WHOLE_MODEL}), or, for a
     * LoRA run, only its adapters (the LoRA package's writer). Returns the names of the files written, for the
     * manifest.
     */
    @FunctionalInterface
    public interface WeightsWriter {
        List<String> write(Path dir, Model model, long step) throws IOException;
    }

    /** The whole model's weights, in DJL's format: scratchgpt-N.params. */
    public static final WeightsWriter WHOLE_MODEL = (dir, model, step) -> {
        model.setProperty("Epoch", Long.toString(step));
        model.save(dir, PARAMETERS);
        return List.of(parametersFile(step));
    };

    /** Files for people (a model card, a loss plot), written after the checked files and not checked. */
    @FunctionalInterface
    public interface ForPeople {
        void writeInto(Path dir) throws IOException;
    }

    /** What goes into a checkpoint folder; {@link #writer} starts one. */
    public static final class Writer {
        private final Model model;
        private final GptConfig config;
        private final TrainingSettings training;
        private WeightsWriter weights = WHOLE_MODEL;
        private Path tokenizerJson;
        private AdamW optimizer;
        private RunState state;
        private Path metrics;                       // null: no metrics yet
        private ForPeople forPeople = dir -> { };

        private Writer(Model model, GptConfig config, TrainingSettings training) {
            this.model = model;
            this.config = config;
            this.training = training;
        }

        /** The weights as {@code weights} writes them (default: the whole model). */
        public Writer weights(WeightsWriter weights) {
            this.weights = weights;
            return this;
        }

        public Writer tokenizer(Path tokenizerJson) {
            this.tokenizerJson = tokenizerJson;
            return this;
        }

        public Writer optimizer(AdamW optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Writer state(RunState state) {
            this.state = state;
            return this;
        }

        /** The run's metrics.jsonl, copied in when it exists. */
        public Writer metrics(Path metrics) {
            this.metrics = metrics;
            return this;
        }

        public Writer forPeople(ForPeople forPeople) {
            this.forPeople = forPeople;
            return this;
        }

        /** Writes every file of the checkpoint into {@code dir}, a fresh folder, the manifest last. */
        public void writeInto(Path dir) throws IOException {
            JsonObject json = new JsonObject();
            json.add("model", config.toJsonObject());
            json.add("training", training.toJsonObject());
            writeJson(dir.resolve(CONFIG), json);
            Files.copy(tokenizerJson, dir.resolve(TOKENIZER));
            List<String> written = weights.write(dir, model, state.step());
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(OPTIMIZER)))) {
                optimizer.saveState(out, model.getBlock().getParameters());
            }
            CrashPoint.reach("checkpoint", "weights-written");
            writeJson(dir.resolve(STATE), state.toJson());
            List<String> verified = new ArrayList<>(List.of(CONFIG, TOKENIZER));
            verified.addAll(written);
            verified.addAll(List.of(OPTIMIZER, STATE));
            if (metrics != null && Files.exists(metrics)) {
                Files.copy(metrics, dir.resolve(METRICS));
                verified.add(METRICS);
            }
            forPeople.writeInto(dir);
            // Last, once every file it vouches for is complete. The card and the plot are for people and not checked.
            Manifest.write(dir, verified);
        }
    }

    /** A checkpoint of {@code model}, a GPT of {@code config} trained with {@code training}. */
    public static Writer writer(Model model, GptConfig config, TrainingSettings training) {
        return new Writer(model, config, training);
    }

    /** The name DJL's {@code Model.save} gives the weights of the checkpoint at {@code step} (its "epoch"). */
    public static String parametersFile(long step) {
        return String.format(Locale.ROOT, "%s-%04d.params", PARAMETERS, step);
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Refuses a LoRA checkpoint where only a whole model will do ({@code use}, e.g. "exported"). Asked first: a
     * LoRA checkpoint's config is its base's, so any later check would blame the base's settings instead.
     */
    public static void requireWholeModel(Path dir, String use) {
        if (Files.isRegularFile(dir.resolve(ADAPTER_SETTINGS))) {
            throw new UserError("checkpoint " + dir + " holds LoRA adapters, not a whole model, so it cannot be " + use
                    + ": make a whole model of it first with `scratchgpt lora merge --adapter " + dir + " --out DIR`,"
                    + " then use DIR");
        }
    }

    /**
     * Reads a checkpoint's config, tokenizer and state, each checked against the manifest, and checks that they
     * belong together. A checkpoint left half swapped by a killed run is repaired first, when no run holds it; one
     * that a live run is swapping is read again once the swap is done ({@link SwapSafeRead}).
     */
    public static Contents read(Path dir) throws IOException {
        return SwapSafeRead.of(dir, () -> readOnce(dir));
    }

    private static Contents readOnce(Path dir) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new UserError("checkpoint " + dir + " is a file: give the checkpoint's folder, the one that holds"
                    + " config.json, e.g. models/baby/best");
        }
        RunFolder.recoverIfIdle(dir).ifPresent(repair -> LOG.warn("{}", repair));
        if (!Files.isDirectory(dir)) {
            throw new UserError("checkpoint " + dir + " not found: train one with `scratchgpt train`, or give the folder"
                    + " of a checkpoint (e.g. models/baby/best)");
        }
        requireNotRunFolder(dir);
        Optional<Manifest> manifest = Manifest.read(dir);
        if (manifest.isEmpty()) {
            LOG.warn("{} has no {}: it was written before checkpoints carried one, so its files cannot be checked",
                    dir, Manifest.FILE);
        }
        JsonFile config = JsonFile.read(verified(dir, CONFIG, manifest));
        // A missing or mistyped section is named by JsonFile, file included: asked outside the try, or it says it twice.
        JsonObject modelSection = config.object("model");
        JsonObject trainingSection = config.object("training");
        GptConfig model;
        TrainingSettings training;
        try {
            model = GptConfig.fromJsonObject(modelSection);
            training = TrainingSettings.fromJsonObject(trainingSection);
        } catch (UserError e) {
            throw new UserError(config.file() + " does not describe a model ScratchGPT can build: " + e.getMessage(), e);
        }
        Tokenizer tokenizer = TokenizerJson.load(verified(dir, TOKENIZER, manifest));
        if (tokenizer.vocabSize() > model.vocabSize()) {
            throw new UserError("the tokenizer in " + dir + " has " + tokenizer.vocabSize() + " tokens but the model only "
                    + model.vocabSize() + " (vocab_size): the tokenizer does not belong to this model");
        }
        RunState state = RunState.fromJson(JsonFile.read(verified(dir, STATE, manifest)));
        return new Contents(dir, model, training, tokenizer, state);
    }

    /** A run folder (models/baby) given where one of its checkpoints (models/baby/latest) was meant. */
    public static void requireNotRunFolder(Path dir) {
        if (RunCheckpoint.isRunFolder(dir)) { // the commands take its best/ or latest/ before they get here
            throw new UserError(dir + " is a run folder, not a checkpoint: give one of its checkpoints, "
                    + dir.resolve(RunFolder.BEST) + " or " + dir.resolve(RunFolder.LATEST));
        }
    }

    /**
     * Gives {@code model} (whose block is the checkpoint's GPT) its shapes for inputs of {@code inputShape}, then
     * the checkpoint's weights, checked against those shapes.
     */
    public static void loadInto(Model model, Path dir, Shape inputShape) throws IOException {
        loadWeightsInto(model, dir, inputShape);
    }

    /** {@link #loadInto}, returning the SHA-256 the manifest gives the weights loaded (empty without a manifest). */
    public static Optional<String> loadWeightsInto(Model model, Path dir, Shape inputShape) throws IOException {
        model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
        return loadParameters(model, dir);
    }

    /**
     * Initialises {@code target}'s block for inputs of {@code inputShape}, then gives it the weights of the checkpoint
     * in {@code dir}, whose GPT is {@code config}: they are loaded into a GPT of that config of their own (DJL's
     * loader reads a file in the exact parameter order of the model it was saved from) and copied by name, each into
     * the first rows of the target's parameter where that is taller (a vocabulary grown since). The target's other
     * parameters (LoRA adapters, the new rows) keep their initial values.
     */
    public static void copyWeightsInto(Model target, Path dir, GptConfig config, Shape inputShape) throws IOException {
        target.getBlock().initialize(target.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
        try (Model source = Model.newInstance("checkpoint", target.getNDManager().getDevice())) {
            source.setBlock(new Gpt(config));
            loadInto(source, dir, inputShape);
            var targets = target.getBlock().getParameters();
            for (Pair<String, Parameter> p : source.getBlock().getParameters()) {
                Parameter into = targets.get(p.getKey());
                if (into == null) {
                    throw new IllegalStateException("the model has no parameter " + p.getKey());
                }
                NDArray values = p.getValue().getArray();                                  // (V, C) or any shape
                into.getArray().set(new NDIndex("0:" + values.getShape().get(0)), values); // (V', C), V' >= V
            }
        }
    }

    /**
     * Loads the weights into {@code model}, whose block must already be initialised for the checkpoint's config,
     * and checks that every parameter kept its shape (a folder of another config fails here, not mid-forward).
     * The file must be the one the manifest lists and in DJL's format: DJL itself silently skips a file that is
     * not ("DJL@" missing), which would leave the fresh random weights in place as if they were the model's.
     * Loaded again if a live run swapped the folder meanwhile ({@link SwapSafeRead}).
     */
    public static Optional<String> loadParameters(Model model, Path dir) throws IOException {
        return SwapSafeRead.of(dir, () -> loadParametersOnce(model, dir));
    }

    /** Returns the weights file's SHA-256 as the manifest gives it, or empty without a manifest. */
    private static Optional<String> loadParametersOnce(Model model, Path dir) throws IOException {
        Path file = parametersFileIn(dir);
        Optional<Manifest> manifest = Manifest.read(dir);
        Optional<String> sha256 = Optional.empty();
        if (manifest.isPresent()) {
            sha256 = Optional.of(manifest.get().verify(file.getFileName().toString()));
        }
        requireDjlFormat(file);
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        try {
            model.load(dir, PARAMETERS, Map.of("epoch", epochOf(file)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new UserError("the weights in " + file + " cannot be read (" + Failures.why(e) + "): the parameter file is"
                    + " truncated, corrupted or from another model; use another checkpoint, e.g. best/ or latest/", e);
        }
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            var shape = p.getValue().getArray().getShape();
            if (!shape.equals(expected.get(p.getKey()))) {
                throw new UserError("the weights in " + dir + " do not fit its config.json: " + p.getKey() + " has shape "
                        + shape + ", the config needs " + expected.get(p.getKey()));
            }
        }
        return sha256;
    }

    /** The one weights file of a checkpoint: two would leave DJL to pick the highest step, perhaps a stray one. */
    public static Path parametersFileIn(Path dir) throws IOException {
        List<Path> files;
        try (var entries = Files.list(dir)) {
            files = entries.filter(f -> f.getFileName().toString().matches(PARAMETERS + "-\\d+\\.params")).sorted().toList();
        }
        if (files.isEmpty() && Files.isRegularFile(dir.resolve(ADAPTER_SETTINGS))) {
            throw new UserError("checkpoint " + dir + " holds LoRA adapters, not a whole model: sample it with"
                    + " `scratchgpt sample --checkpoint " + dir + "`, or make a whole model of it with"
                    + " `scratchgpt lora merge --adapter " + dir + " --out DIR`");
        }
        if (files.isEmpty()) {
            throw new UserError("checkpoint " + dir + " has no weights file (" + PARAMETERS + "-NNNN.params): the folder is"
                    + " not a complete checkpoint; use another checkpoint, e.g. best/ or latest/");
        }
        if (files.size() > 1) {
            throw new UserError("checkpoint " + dir + " has more than one weights file (" + files.stream()
                    .map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.joining(", "))
                    + "): a checkpoint holds the weights of one step; remove the stray ones");
        }
        return files.get(0);
    }

    private static String epochOf(Path parametersFile) {
        String name = parametersFile.getFileName().toString();
        return Integer.toString(Integer.parseInt(name.substring(PARAMETERS.length() + 1, name.length() - ".params".length())));
    }

    private static void requireDjlFormat(Path file) throws IOException {
        byte[] magic = new byte[4];
        int read;
        try (var in = Files.newInputStream(file)) {
            read = in.readNBytes(magic, 0, 4);
        }
        if (read < 4 || !"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new UserError("the weights file " + file + " is not in DJL's format (it does not start with DJL@): it"
                    + " was overwritten or is not a ScratchGPT checkpoint; use another checkpoint, e.g. best/ or latest/");
        }
    }

    /** Restores the optimizer's moments and step counts. */
    public static void loadOptimizer(AdamW optimizer, Model model, Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(verified(dir, OPTIMIZER, Manifest.read(dir))))) {
            optimizer.loadState(in, model.getBlock().getParameters());
        } catch (java.io.EOFException e) {
            throw new UserError(dir.resolve(OPTIMIZER) + " is truncated: resume from another checkpoint", e);
        }
    }

    /** The checkpoint's copy of the run's metrics, checked, for a resumed run to continue from. */
    public static Path verifiedMetrics(Path dir) throws IOException {
        return verified(dir, METRICS, Manifest.read(dir));
    }

    /** {@code dir/name}, present and, when the checkpoint has a manifest, exactly as it was written. */
    private static Path verified(Path dir, String name, Optional<Manifest> manifest) throws IOException {
        if (manifest.isPresent()) {
            manifest.get().verify(name);
        }
        return require(dir.resolve(name));
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("checkpoint file " + file + " is missing: the folder is not a complete checkpoint");
        }
        return file;
    }
}
