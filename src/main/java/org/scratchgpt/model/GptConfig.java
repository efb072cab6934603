package org.scratchgpt.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.scratchgpt.UserError;

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
        boolean tiedEmbeddings) {

    /** Field names in JSON and on the command line, in the order they are written. */
    public static final List<String> FIELD_NAMES = List.of(
            "vocab_size", "context_length", "n_layer", "n_head", "n_embd",
            "dropout", "bias", "positional_encoding", "tied_embeddings");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public GptConfig {
        Objects.requireNonNull(positionalEncoding, "positionalEncoding");
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
        Map<String, String> fields = toFields();
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            requireKnownField(override.getKey(), "override");
            fields.put(override.getKey(), override.getValue());
        }
        return fromFields(fields).validate();
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
        return json;
    }

    /** This config as pretty-printed JSON text. */
    public String toJson() {
        return GSON.toJson(toJsonObject());
    }

    /** Reads a config written by {@link #toJson()}; every field must be present and no other. */
    public static GptConfig fromJson(String text) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new UserError("model config is not valid JSON (" + e.getMessage()
                    + "): fix the file or rewrite it from a preset", e);
        }
        if (!parsed.isJsonObject()) {
            throw new UserError("model config must be a JSON object {\"n_layer\": 4, ...}, got: " + shorten(text));
        }
        return fromJsonObject(parsed.getAsJsonObject());
    }

    /** Reads a config from a JSON object, for files that hold the model config inside a larger document. */
    public static GptConfig fromJsonObject(JsonObject json) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            requireKnownField(entry.getKey(), "field in the model config");
            if (!entry.getValue().isJsonPrimitive()) {
                throw new UserError("model config field " + entry.getKey() + " must be a number, true/false or a word, got "
                        + entry.getValue());
            }
            fields.put(entry.getKey(), entry.getValue().getAsString());
        }
        return fromFields(fields).validate();
    }

    // --- one parsing path for JSON and overrides: every field as text ---

    private Map<String, String> toFields() {
        JsonObject json = toJsonObject();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : FIELD_NAMES) {
            fields.put(name, json.get(name).getAsString());
        }
        return fields;
    }

    private static GptConfig fromFields(Map<String, String> fields) {
        List<String> missing = new ArrayList<>(FIELD_NAMES);
        missing.removeAll(fields.keySet());
        if (!missing.isEmpty()) {
            throw new UserError("model config lacks " + String.join(", ", missing)
                    + ": a complete config names all of " + String.join(", ", FIELD_NAMES));
        }
        return new GptConfig(
                wholeNumber(fields, "vocab_size"),
                wholeNumber(fields, "context_length"),
                wholeNumber(fields, "n_layer"),
                wholeNumber(fields, "n_head"),
                wholeNumber(fields, "n_embd"),
                fraction(fields, "dropout"),
                trueOrFalse(fields, "bias"),
                PositionalEncoding.parse(fields.get("positional_encoding")),
                trueOrFalse(fields, "tied_embeddings"));
    }

    private static int wholeNumber(Map<String, String> fields, String name) {
        String text = fields.get(name).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a whole number, got '" + text + "'");
        }
    }

    private static double fraction(Map<String, String> fields, String name) {
        String text = fields.get(name).strip();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserError(name + " must be a number such as 0.1, got '" + text + "'");
        }
    }

    // Boolean.parseBoolean would read any typo as false; only the two words are accepted.
    private static boolean trueOrFalse(Map<String, String> fields, String name) {
        String text = fields.get(name).strip();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new UserError(name + " must be true or false, got '" + text + "'");
    }

    private static void requireKnownField(String name, String what) {
        if (!FIELD_NAMES.contains(name)) {
            throw new UserError("unknown " + what + " '" + name + "': valid names are " + String.join(", ", FIELD_NAMES));
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new UserError(name + " must be at least 1, got " + value);
        }
    }

    private static String divisorsOf(int n) {
        return IntStream.rangeClosed(1, n).filter(d -> n % d == 0)
                .mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

    private static String shorten(String text) {
        String line = text.strip();
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
