package org.scratchgpt.hf;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.ImportedRun;
import org.scratchgpt.io.OutputPaths;
import org.scratchgpt.io.TemporaryFolder;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Presets;
import org.scratchgpt.optim.TrainingSettings;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

/**
 * {@code scratchgpt import gpt2}: a HuggingFace GPT-2 folder (config.json, model.safetensors, and tokenizer.json
 * or vocab.json + merges.txt) becomes a ScratchGPT run folder, {@code <out>/latest} with {@code <out>/best} the
 * same checkpoint, as training leaves one ({@link ImportedRun}): {@code sample --checkpoint <out>} samples from it
 * and {@code finetune --from <out> --corpus FILE} fine-tunes it (both take its best/).
 */
public final class Gpt2Import {

    /**
     * What was imported, for the command's report; {@code label} is what it is: a preset's name ({@code gpt2-medium})
     * only when it has that preset's shape, else {@link #OWN_SHAPE}.
     */
    public record Summary(Path out, GptConfig config, String label, long parameters, double seconds) {
        /** Whether it has the shape of one of the published GPT-2s. */
        public boolean isPreset() {
            return !label.equals(OWN_SHAPE);
        }
    }

    /** The label of a GPT-2 of a shape no preset has (a small test model, a distilled one). */
    public static final String OWN_SHAPE = "imported GPT-2";
    /** The training settings every imported GPT-2 records: nanoGPT's GPT-2 recipe, as the gpt2 presets have. */
    private static final String TRAINING_PRESET = "gpt2";

    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String TOKENIZER = "tokenizer.json";
    private static final String PICKLE_WEIGHTS = "pytorch_model.bin";
    /** A padded vocabulary has fewer than this many rows beyond its tokenizer's tokens. */
    private static final int MOST_PADDING = 64;

    private Gpt2Import() {}

    /** Imports the folder {@code from} into the new run folder {@code out}. */
    public static Summary run(Path from, Path out) throws IOException {
        long start = System.nanoTime();
        requireFolder(from);
        OutputPaths.requireApart("--out " + out, out, "--from " + from, from, "give --out a new folder outside it,"
                + " e.g. models/" + from.toAbsolutePath().normalize().getFileName());
        if (Files.exists(out)) {
            throw new UserError(out + " already exists: give a new --out folder (an import never overwrites a model)");
        }
        Path weights = weightsIn(from);
        GptConfig config = HfGpt2Config.read(from.resolve(CONFIG));
        String label = labelOf(config);
        try (TemporaryFolder scratch = TemporaryFolder.create("scratchgpt-import");
             Model model = Model.newInstance("scratchgpt", Device.cpu())) {
            Path tokenizerJson = tokenizerIn(from, scratch.path());
            Tokenizer tokenizer = TokenizerJson.load(tokenizerJson);
            requireModelsTokenizer(from, tokenizer, config);
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            gpt.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.contextLength()));
            try (SafetensorsFile file = SafetensorsFile.open(weights)) {
                Gpt2Weights.load(file, weights, gpt, config);
            }
            String card = card(from, config, label, gpt.parameterCount());
            new ImportedRun(label, TrainingSettings.preset(TRAINING_PRESET), tokenizerJson, card).write(out, model, config);
            return new Summary(out, config, label, gpt.parameterCount(), (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * The tokenizer must be the one the weights were trained with: as many tokens as the vocabulary has rows, or a
     * few fewer where the vocabulary was padded (nanoGPT pads GPT-2's 50257 to 50304, the next multiple of 64, so
     * padding adds at most 63 rows). Another tokenizer maps text to ids whose rows mean other tokens: the model
     * would load, and sample gibberish.
     */
    private static void requireModelsTokenizer(Path from, Tokenizer tokenizer, GptConfig config) {
        int spareRows = config.vocabSize() - tokenizer.vocabSize();
        if (spareRows >= 0 && spareRows < MOST_PADDING) {
            return;
        }
        throw new UserError("the tokenizer in " + from + " has " + tokenizer.vocabSize() + " tokens but the weights'"
                + " vocabulary (config.json's vocab_size) has " + config.vocabSize() + " rows: it is not this model's"
                + " tokenizer; give the tokenizer.json (or vocab.json and merges.txt) that came with the weights");
    }

    private static void requireFolder(Path from) {
        if (!Files.isDirectory(from)) {
            throw new UserError("--from " + from + (Files.exists(from) ? " is a file" : " not found") + ": give the folder"
                    + " of a HuggingFace GPT-2, holding config.json, model.safetensors and tokenizer.json");
        }
    }

    /**
     * The safetensors weights. A {@code pytorch_model.bin} is a Python pickle, and unpickling runs whatever code the
     * file names: it is refused, with the way to convert it.
     */
    private static Path weightsIn(Path from) {
        Path weights = from.resolve(WEIGHTS);
        if (Files.isRegularFile(weights)) {
            return weights;
        }
        if (Files.exists(from.resolve(PICKLE_WEIGHTS))) {
            throw new UserError(from + " has " + PICKLE_WEIGHTS + " but no " + WEIGHTS + ": ScratchGPT reads only"
                    + " safetensors, because loading a pickle can run code hidden in the file. Download model.safetensors"
                    + " from the same HuggingFace repository, or convert once where you trust the file: python3 -c"
                    + " \"import torch; from safetensors.torch import save_file; save_file(torch.load('" + PICKLE_WEIGHTS
                    + "', weights_only=True), '" + WEIGHTS + "')\"");
        }
        throw new UserError(from + " has no " + WEIGHTS + ": a HuggingFace GPT-2 folder holds config.json,"
                + " model.safetensors and tokenizer.json (or vocab.json and merges.txt)");
    }

    /** tokenizer.json as it is, or one made from vocab.json and merges.txt in {@code scratch}. */
    private static Path tokenizerIn(Path from, Path scratch) throws IOException {
        Path tokenizer = from.resolve(TOKENIZER);
        if (Files.isRegularFile(tokenizer)) {
            return tokenizer;
        }
        Path vocab = from.resolve("vocab.json");
        Path merges = from.resolve("merges.txt");
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            Path converted = scratch.resolve(TOKENIZER);
            Gpt2TokenizerFiles.convert(vocab, merges, converted);
            return converted;
        }
        throw new UserError(from + " has no tokenizer: it needs tokenizer.json, or vocab.json and merges.txt");
    }

    /** The published size this config is, or {@link #OWN_SHAPE}: a preset's name only when it is that preset. */
    private static String labelOf(GptConfig config) {
        for (String name : new String[] {"gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"}) {
            if (Presets.model(name).equals(config)) {
                return name;
            }
        }
        return OWN_SHAPE;
    }

    /** The model's shape in words, e.g. "2 layers, 2 heads, 8 wide, context 16, vocabulary 50257". */
    public static String shape(GptConfig config) {
        return String.format(Locale.ROOT, "%d layers, %d heads, %d wide, context %d, vocabulary %d", config.layers(),
                config.heads(), config.embeddingWidth(), config.contextLength(), config.vocabSize());
    }

    private static String card(Path from, GptConfig config, String label, long parameters) {
        String what = label.equals(OWN_SHAPE) ? "A GPT-2 of its own shape (no preset's)" : "A GPT-2 (preset " + label + ")";
        return String.format(Locale.ROOT, """
                # ScratchGPT checkpoint: GPT-2 imported from %s

                %s with %,d parameters
                (%s, %s GELU, LayerNorm epsilon %s),
                imported by `scratchgpt import gpt2` from HuggingFace's files. Not trained here: step 0, no evaluation yet.

                Sample:    ./scratchgpt sample --checkpoint <this folder> --prompt "Hello"
                Fine-tune: ./scratchgpt finetune --from <this folder> --corpus FILE
                """, from.toAbsolutePath(), what, parameters, shape(config), config.gelu().jsonName(),
                config.layerNormEpsilon());
    }
}
