package org.scratchgpt.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;

/**
 * The known {@link Preset}s, looked up by name. They follow nanoGPT: {@code baby} is its CPU-sized
 * Shakespeare run, {@code shakespeare-char} its GPU Shakespeare run, and {@code gpt2-124m} the smallest GPT-2 as
 * nanoGPT trains it (exact GELU). {@code gpt2}, {@code gpt2-medium}, {@code gpt2-large} and {@code gpt2-xl} are
 * OpenAI's published models, computing as they were trained, for imported weights.
 */
public final class Presets {

    // Character-level presets learn their vocabulary from the corpus: 65 is tiny-shakespeare's character count,
    // a placeholder until the tokenizer built from the data replaces it (withOverrides("vocab_size", ...)).
    private static final int SHAKESPEARE_CHARS = 65;

    /** GPT-2's vocabulary: 50,000 merges, 256 bytes and the end-of-text token. */
    public static final int GPT2_VOCAB_SIZE = 50257;
    /** GPT-2's context: 1,024 positions. */
    public static final int GPT2_CONTEXT_LENGTH = 1024;

    private static final Map<String, Preset> BY_NAME = new LinkedHashMap<>();

    static {
        // nanoGPT config/train_shakespeare_char.py with the README's CPU settings; nanoGPT's default bias=False.
        add(new Preset("baby", "a character-level Shakespeare model small enough to train on a laptop CPU",
                nanoGpt().vocabSize(SHAKESPEARE_CHARS).contextLength(64)
                        .layers(4).heads(4).embeddingWidth(128).dropout(0.0).bias(false).build()));
        // nanoGPT config/train_shakespeare_char.py as written (a GPU run of a few minutes).
        add(new Preset("shakespeare-char", "nanoGPT's character-level Shakespeare model (10.7M parameters)",
                nanoGpt().vocabSize(SHAKESPEARE_CHARS).contextLength(256)
                        .layers(6).heads(6).embeddingWidth(384).dropout(0.2).bias(false).build()));
        // OpenAI's GPT-2 small, the shape whose published weights can be loaded.
        add(new Preset("gpt2-124m", "GPT-2 small: the shape of OpenAI's smallest published GPT-2",
                nanoGpt().vocabSize(GPT2_VOCAB_SIZE).contextLength(GPT2_CONTEXT_LENGTH)
                        .layers(12).heads(12).embeddingWidth(768).dropout(0.0).bias(true).build()));
        // OpenAI's four published GPT-2s exactly as they compute: the shapes of their config.json files, with the
        // tanh GELU and LayerNorm epsilon 1e-5 they were trained with, so that their weights import unchanged
        // (`scratchgpt import gpt2`). Dropout 0: they are for sampling and fine-tuning; set it to train.
        addGpt2("gpt2", "OpenAI's GPT-2 (124M), as published: tanh GELU", 12, 12, 768);
        addGpt2("gpt2-medium", "OpenAI's GPT-2 medium (355M), as published", 24, 16, 1024);
        addGpt2("gpt2-large", "OpenAI's GPT-2 large (774M), as published", 36, 20, 1280);
        addGpt2("gpt2-xl", "OpenAI's GPT-2 XL (1.5B), as published", 48, 25, 1600);
    }

    /**
     * How nanoGPT's GPT computes, which every preset shares: learned positions, the head tied to the token
     * embedding, exact GELU and PyTorch's LayerNorm epsilon. Each preset adds its shape, dropout and bias (and the
     * published GPT-2s their tanh GELU).
     */
    private static GptConfig.Builder nanoGpt() {
        return GptConfig.builder().positionalEncoding(PositionalEncoding.LEARNED).tiedEmbeddings(true)
                .gelu(GeluForm.EXACT).layerNormEpsilon(GptConfig.DEFAULT_LAYER_NORM_EPSILON);
    }

    private static void addGpt2(String name, String summary, int layers, int heads, int width) {
        add(new Preset(name, summary, nanoGpt().vocabSize(GPT2_VOCAB_SIZE).contextLength(GPT2_CONTEXT_LENGTH)
                .layers(layers).heads(heads).embeddingWidth(width).dropout(0.0).bias(true).gelu(GeluForm.TANH).build()));
    }

    private Presets() {}

    /** The preset called {@code name}. */
    public static Preset get(String name) {
        Preset preset = BY_NAME.get(name);
        if (preset == null) {
            throw new UserError("unknown preset '" + name + "': known presets are " + String.join(", ", names()));
        }
        return preset;
    }

    /** The model shape of the preset called {@code name}. */
    public static GptConfig model(String name) {
        return get(name).model();
    }

    /** Every preset name, smallest model first. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    private static void add(Preset preset) {
        preset.model().validate();
        BY_NAME.put(preset.name(), preset);
    }
}
