package org.scratchgpt.djl;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.UserError;
import org.scratchgpt.checkpoint.Checkpoint;
import org.scratchgpt.checkpoint.CheckpointApart;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.model.Gpt;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.Precision;

/**
 * {@code scratchgpt export djl}: a checkpoint becomes a model folder any DJL application loads with {@code Criteria}
 * and the PyTorch engine, no ScratchGPT class needed: {@code model.pt} (the GPT as TorchScript, weights inside,
 * see {@link GptModuleFile}), {@code tokenizer.json}, {@code serving.properties} (engine and DJL's GPT translator
 * with this model's shape) and a README with the lines that load it. The folder is written aside and renamed
 * into place, so a failed export leaves no half-written folder.
 */
public final class DjlExport {

    /** The module file's name; DJL's PyTorch engine finds {@code NAME.pt} for the model name {@code NAME}. */
    public static final String MODEL_NAME = "model";
    public static final String MODEL_FILE = MODEL_NAME + ".pt";
    public static final String SERVING_PROPERTIES = "serving.properties";
    public static final String README = "README.md";

    private DjlExport() {}

    /**
     * Exports {@code checkpoint} to {@code out}, which must not exist unless {@code force}; the module computes in
     * {@code precision} (its weights are float32 whatever it is). Returns the model's config.
     */
    public static GptConfig run(Path checkpoint, Path out, boolean force, Precision precision) throws IOException {
        // --force replaces --out: never when that would delete (or bury) the checkpoint being exported
        CheckpointApart.require("--out", out, "--checkpoint", checkpoint, "djl");
        Checkpoint.requireWholeModel(checkpoint, "exported");
        Checkpoint.Contents contents = Checkpoint.read(checkpoint); // a missing or damaged checkpoint stops here
        if (Files.exists(out) && !force) {
            throw new UserError(out + " already exists: give a new --out folder, or --force to replace it");
        }
        GptConfig config = contents.model();
        try (Model model = Model.newInstance("scratchgpt")) {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            Checkpoint.loadInto(model, checkpoint, new Shape(1, config.contextLength()));
            AtomicFiles.replaceDirectory(out, dir -> {
                GptModuleFile.write(gpt, contents.tokenizer().vocabSize(), precision, dir.resolve(MODEL_FILE));
                Files.copy(checkpoint.resolve(Checkpoint.TOKENIZER), dir.resolve(Checkpoint.TOKENIZER));
                Files.writeString(dir.resolve(SERVING_PROPERTIES), servingProperties(config), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(README), readme(config, precision), StandardCharsets.UTF_8);
            });
        }
        return config;
    }

    /**
     * DJL's model-folder settings: the engine, and the translator factory of its GPT text generation with the
     * three numbers it needs to build the first step's empty cache (head size, heads, layers).
     */
    static String servingProperties(GptConfig config) {
        return "# Read by DJL's Criteria when it loads this folder.\n"
                + "engine=PyTorch\n"
                + "option.modelName=" + MODEL_NAME + "\n"
                + "translatorFactory=ai.djl.pytorch.zoo.nlp.textgeneration.PtGptTranslatorFactory\n"
                + "kvDim=" + config.headSize() + "\n"
                + "numAttentionHeads=" + config.heads() + "\n"
                + "numLayers=" + config.layers() + "\n";
    }

    static String readme(GptConfig config, Precision precision) {
        return """
                # A ScratchGPT model for DJL

                `model.pt` is a TorchScript module (float32 weights inside) written by `scratchgpt export djl`;
                `tokenizer.json` is its tokenizer (HuggingFace format). The model: %d layers, %d heads, %d wide,
                vocabulary %d, context %d tokens, %s positions; it computes its matrix products and attention in
                %s, and returns float32 logits.

                Load it in any Java program with DJL 0.35.1 and its PyTorch engine (artifacts `ai.djl:api`,
                `ai.djl.pytorch:pytorch-engine`, `ai.djl.pytorch:pytorch-model-zoo`, and libtorch):

                ```java
                Criteria<NDList, NDList> criteria = Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(Paths.get("THIS_FOLDER"))
                        .optEngine("PyTorch")
                        .optTranslator(new NoopTranslator())
                        .build();
                try (ZooModel<NDList, NDList> model = criteria.loadModel();
                     Predictor<NDList, NDList> predictor = model.newPredictor()) {
                    NDArray ids = model.getNDManager().create(new long[][] {{1, 2, 3}}); // (B, T) token ids
                    NDArray logits = predictor.predict(new NDList(ids)).get(0);        // (B, T, V)
                }
                ```

                `forward(ids)` returns the logits (B, T, V) first, then each layer's keys and values, then the last hidden state. The module
                also takes position ids, attention mask and past keys and values, as DJL's GPT-2 does, so DJL's
                `TextGenerator` generates from it (greedy, beam or contrastive search) through DJL's GPT translator, which reads
                this model's shape (kvDim, numAttentionHeads, numLayers) from `serving.properties`:

                ```java
                Criteria<NDList, CausalLMOutput> criteria = Criteria.builder()
                        .setTypes(NDList.class, CausalLMOutput.class)
                        .optModelPath(Paths.get("THIS_FOLDER"))
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new PtGptTranslatorFactory())
                        .build();
                try (ZooModel<NDList, CausalLMOutput> model = criteria.loadModel();
                     Predictor<NDList, CausalLMOutput> predictor = model.newPredictor()) {
                    SearchConfig config = new SearchConfig();
                    config.setMaxSeqLength(40);  // prompt plus new tokens
                    config.setPadTokenId(-1);    // the prompt has no padding
                    NDArray prompt = model.getNDManager().create(new long[][] {{1, 2, 3}});
                    NDArray ids = new TextGenerator(predictor, "greedy", config).generate(prompt); // (1, 40)
                }
                ```

                Ids past the tokenizer's vocabulary (a padded vocab_size) score minus infinity: they map to no text.
                """.formatted(config.layers(), config.heads(), config.embeddingWidth(), config.vocabSize(),
                config.contextLength(), config.positionalEncoding().jsonName(), precision.cliName());
    }
}
