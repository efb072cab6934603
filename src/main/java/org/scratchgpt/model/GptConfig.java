package org.scratchgpt.model;

import static org.scratchgpt.config.BuilderFields.required;
import static org.scratchgpt.config.ConfigFields.number;
import static org.scratchgpt.config.ConfigFields.requirePositive;
import static org.scratchgpt.config.ConfigFields.trueOrFalse;
import static org.scratchgpt.config.ConfigFields.wholeNumber;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.scratchgpt.UserError;
import org.scratchgpt.config.ConfigFields;

/**
 * The shape of a GPT: how many tokens it knows, how far back it looks, how deep and how wide it is. It is
 * nanoGPT's {@code GPTConfig} with two additions (the kind of positional encoding, and whether the output head
 * shares the token embedding matrix). In JSON files and command-line overrides the fields keep nanoGPT's
 * names ({@code n_layer}, {@code n_embd}...), so its configs read the same here.
 *
 * @param vocabSize number of distinct tokens (JSON {@code vocab_size})
 * @param contextLength the most tokens the model sees at once; nanoGPT's {@code block_size} ({@code context_length})
 * @param layers number of transformer blocks ({@code n_layer})
 * @param heads attention heads per block ({@code n_head})
 * @param embeddingWidth channels per token, C ({@code n_embd})
 * @param dropout probability of zeroing an activation while training ({@code dropout})
 * @param bias whether Linear and LayerNorm layers have a bias ({@code bias})
 * @param positionalEncoding how positions are encoded ({@code positional_encoding})
 * @param tiedEmbeddings whether the output head reuses the token embedding matrix ({@code tied_embeddings})
 * @param gelu which GELU formula the MLP computes ({@code gelu}: exact, or GPT-2's tanh approximation)
 * @param layerNormEpsilon added to the variance in every LayerNorm ({@code layer_norm_epsilon})
 */
public record GptConfig(
        int vocabSize,
        int contextLength,
        int layers,
        int heads,
        int embeddingWidth,
        double dropout,
        boolean bias,
        PositionalEncoding positionalEncoding,
        boolean tiedEmbeddings,
        GeluForm gelu,
        double layerNormEpsilon) {

    /** Field names in JSON and on the command line, in the order they are written. */
    public static final List<String> FIELD_NAMES = List.of(
            "vocab_size", "context_length", "n_layer", "n_head", "n_embd",
            "dropout", "bias", "positional_encoding", "tied_embeddings", "gelu", "layer_norm_epsilon");

    /** PyTorch's (and GPT-2's) LayerNorm epsilon, the one every config had before it was a field. */
    public static final double DEFAULT_LAYER_NORM_EPSILON = 1e-5;

    /**
     * Fields that configs written before them lack, with the value that reproduces how those models computed:
     * exact GELU (nanoGPT's) and PyTorch's epsilon.
     */
    private static final Map<String, String> DEFAULTS_FOR_OLDER_CONFIGS = Map.of(
            "gelu", GeluForm.EXACT.jsonName(), "layer_norm_epsilon", Double.toString(DEFAULT_LAYER_NORM_EPSILON));

    private static final ConfigFields FIELDS = new ConfigFields("model config", FIELD_NAMES);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public GptConfig {
        Objects.requireNonNull(positionalEncoding, "positionalEncoding");
        Objects.requireNonNull(gelu, "gelu");
    }

    /** A config with nanoGPT's exact GELU and PyTorch's LayerNorm epsilon, as every config was before those fields. */
    public GptConfig(int vocabSize, int contextLength, int layers, int heads, int embeddingWidth, double dropout,
            boolean bias, PositionalEncoding positionalEncoding, boolean tiedEmbeddings) {
        this(vocabSize, contextLength, layers, heads, embeddingWidth, dropout, bias, positionalEncoding, tiedEmbeddings,
                GeluForm.EXACT, DEFAULT_LAYER_NORM_EPSILON);
    }

    /** A copy computing GELU as {@code form}. */
    public GptConfig withGelu(GeluForm form) {
        return new GptConfig(vocabSize, contextLength, layers, heads, embeddingWidth, dropout, bias, positionalEncoding,
                tiedEmbeddings, form, layerNormEpsilon);
    }

    /** Channels per attention head, hs = C / nh. */
    public int headSize() {
        return embeddingWidth / heads;
    }

    /** Checks the numbers fit together; returns {@code this} so calls can be chained. */
    public GptConfig validate() {
        requirePositive("vocab_size", vocabSize);
        requirePositive("context_length", contextLength);
        requirePositive("n_layer", layers);
        requirePositive("n_head", heads);
        requirePositive("n_embd", embeddingWidth);
        requirePositive("layer_norm_epsilon", layerNormEpsilon);
        if (embeddingWidth % heads != 0) {
            throw new UserError("n_embd " + embeddingWidth + " is not divisible by n_head " + heads
                    + " (each head gets n_embd / n_head channels): for n_embd " + embeddingWidth + " use n_head "
                    + divisorsOf(embeddingWidth) + "; or keep n_head " + heads + " with an n_embd that is a multiple of it");
        }
        if (!(dropout >= 0 && dropout < 1)) { // written this way so that NaN fails too
            throw new UserError("dropout " + dropout + " is outside [0, 1): use 0 for none, 0.1 or 0.2 for a little");
        }
        if (positionalEncoding == PositionalEncoding.ROTARY && headSize() % 2 != 0) {
            throw new UserError("rotary positional_encoding rotates channels in pairs, so the head size n_embd / n_head = "
                    + embeddingWidth + " / " + heads + " = " + headSize() + " must be even: change n_embd or n_head,"
                    + " or use positional_encoding learned");
        }
        return this;
    }

    /**
     * A copy with some fields replaced, as given on the command line ({@code n_layer=2}). Keys are the JSON field
     * names; values are parsed the same way as in a JSON file. The result is validated.
     */
    public GptConfig withOverrides(Map<String, String> overrides) {
        return fromFields(FIELDS.overridden(FIELDS.fromComplete(toJsonObject()), overrides)).validate();
    }

    /** This config as a JSON object with nanoGPT's field names. */
    public JsonObject toJsonObject() {
        JsonObject json = new JsonObject();
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("context_length", contextLength);
        json.addProperty("n_layer", layers);
        json.addProperty("n_head", heads);
        json.addProperty("n_embd", embeddingWidth);
        json.addProperty("dropout", dropout);
        json.addProperty("bias", bias);
        json.addProperty("positional_encoding", positionalEncoding.jsonName());
        json.addProperty("tied_embeddings", tiedEmbeddings);
        json.addProperty("gelu", gelu.jsonName());
        json.addProperty("layer_norm_epsilon", layerNormEpsilon);
        return json;
    }

    /** This config as pretty-printed JSON text. */
    public String toJson() {
        return GSON.toJson(toJsonObject());
    }

    /**
     * Reads a config written by {@link #toJson()}; every field must be present and no other, except {@code gelu} and
     * {@code layer_norm_epsilon}, which configs written before them lack (they then keep the old behaviour).
     */
    public static GptConfig fromJson(String text) {
        return fromFields(FIELDS.fromJson(text)).validate();
    }

    /** Reads a config from a JSON object, for files that hold the model config inside a larger document. */
    public static GptConfig fromJsonObject(JsonObject json) {
        return fromFields(FIELDS.fromJsonObject(json)).validate();
    }

    private static GptConfig fromFields(Map<String, String> given) {
        Map<String, String> fields = new LinkedHashMap<>(given);
        DEFAULTS_FOR_OLDER_CONFIGS.forEach(fields::putIfAbsent);
        FIELDS.requireComplete(fields);
        return new GptConfig(
                wholeNumber(fields, "vocab_size"),
                wholeNumber(fields, "context_length"),
                wholeNumber(fields, "n_layer"),
                wholeNumber(fields, "n_head"),
                wholeNumber(fields, "n_embd"),
                number(fields, "dropout"),
                trueOrFalse(fields, "bias"),
                PositionalEncoding.parse(fields.get("positional_encoding")),
                trueOrFalse(fields, "tied_embeddings"),
                GeluForm.parse(fields.get("gelu")),
                number(fields, "layer_norm_epsilon"));
    }

    /** A config given field by field, each by its name, so that a preset says what every number is. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every field must be given: there are no defaults to fall back on, so a preset that forgets one fails when it is
     * built instead of silently getting another model.
     */
    public static final class Builder {
        private static final String RECORD = "model config"; // as errors name it

        private Integer vocabSize;
        private Integer contextLength;
        private Integer layers;
        private Integer heads;
        private Integer embeddingWidth;
        private Double dropout;
        private Boolean bias;
        private PositionalEncoding positionalEncoding;
        private Boolean tiedEmbeddings;
        private GeluForm gelu;
        private Double layerNormEpsilon;

        private Builder() {}

        public Builder vocabSize(int value) {
            vocabSize = value;
            return this;
        }

        public Builder contextLength(int value) {
            contextLength = value;
            return this;
        }

        public Builder layers(int value) {
            layers = value;
            return this;
        }

        public Builder heads(int value) {
            heads = value;
            return this;
        }

        public Builder embeddingWidth(int value) {
            embeddingWidth = value;
            return this;
        }

        public Builder dropout(double value) {
            dropout = value;
            return this;
        }

        public Builder bias(boolean value) {
            bias = value;
            return this;
        }

        public Builder positionalEncoding(PositionalEncoding value) {
            positionalEncoding = value;
            return this;
        }

        public Builder tiedEmbeddings(boolean value) {
            tiedEmbeddings = value;
            return this;
        }

        public Builder gelu(GeluForm value) {
            gelu = value;
            return this;
        }

        public Builder layerNormEpsilon(double value) {
            layerNormEpsilon = value;
            return this;
        }

        public GptConfig build() {
            return new GptConfig(required(RECORD, "vocab_size", vocabSize),
                    required(RECORD, "context_length", contextLength), required(RECORD, "n_layer", layers),
                    required(RECORD, "n_head", heads), required(RECORD, "n_embd", embeddingWidth),
                    required(RECORD, "dropout", dropout), required(RECORD, "bias", bias),
                    required(RECORD, "positional_encoding", positionalEncoding),
                    required(RECORD, "tied_embeddings", tiedEmbeddings), required(RECORD, "gelu", gelu),
                    required(RECORD, "layer_norm_epsilon", layerNormEpsilon));
        }
    }

    /** Each divisor d up to the square root with its partner n / d: 46,341 trials for the largest int, not 2 billion. */
    private static String divisorsOf(int n) {
        return IntStream.rangeClosed(1, (int) Math.sqrt(n)).filter(d -> n % d == 0)
                .flatMap(d -> IntStream.of(d, n / d)).distinct().sorted()
                .mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

}
