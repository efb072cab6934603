package org.scratchgpt.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchgpt.UserError;
import org.scratchgpt.config.JsonSyntax;
import org.scratchgpt.model.GeluForm;
import org.scratchgpt.model.GptConfig;
import org.scratchgpt.model.PositionalEncoding;

/**
 * HuggingFace's {@code config.json} for GPT-2 ({@code GPT2Config}), read into a {@link GptConfig} and written
 * from one. The fields map one to one: {@code n_positions} is context_length, {@code n_embd}, {@code n_layer} and
 * {@code n_head} are the same, {@code activation_function} "gelu_new" is the tanh GELU and "gelu" the exact one.
 * GPT-2 always has biases and learned positions. A field that asks for something ScratchGPT's GPT does not
 * compute (another MLP width, attention scaled per layer...) is refused by name, never silently dropped.
 */
public final class HfGpt2Config {

    private HfGpt2Config() {}

    /** Reads {@code file} (a HuggingFace GPT-2 config.json) as a ScratchGPT config, dropout 0. */
    public static GptConfig read(Path file) throws IOException {
        JsonObject json = parse(file);
        String modelType = text(file, json, "model_type", "(none)");
        if (!modelType.equals("gpt2")) {
            throw new UserError(file + " describes a '" + modelType + "' model (model_type), not GPT-2: `import gpt2`"
                    + " reads folders of OpenAI's GPT-2 (model_type \"gpt2\")");
        }
        String activation = text(file, json, "activation_function", "gelu_new");
        GeluForm gelu = switch (activation) {
            case "gelu_new", "gelu_pytorch_tanh" -> GeluForm.TANH;
            case "gelu" -> GeluForm.EXACT;
            default -> throw new UserError(file + ": activation_function \"" + activation + "\" is not GELU:"
                    + " ScratchGPT computes gelu_new (tanh) and gelu (exact)");
        };
        int width = whole(file, json, "n_embd");
        if (json.has("n_inner") && !json.get("n_inner").isJsonNull() && whole(file, json, "n_inner") != 4 * width) {
            throw new UserError(file + ": n_inner " + json.get("n_inner") + " is not 4 x n_embd (" + 4 * width + "):"
                    + " ScratchGPT's MLP is always 4 x n_embd wide");
        }
        refuseUnless(file, json, "scale_attn_weights", true, "attention scores are always divided by sqrt(head size)");
        refuseUnless(file, json, "scale_attn_by_inverse_layer_idx", false, "attention is never scaled per layer");
        refuseUnless(file, json, "reorder_and_upcast_attn", false, "attention is computed in the model's precision");
        boolean tied = trueOrFalse(file, json, "tie_word_embeddings", true);
        double epsilon = json.has("layer_norm_epsilon") ? number(file, json, "layer_norm_epsilon")
                : GptConfig.DEFAULT_LAYER_NORM_EPSILON;
        try {
            return new GptConfig(whole(file, json, "vocab_size"), whole(file, json, "n_positions"),
                    whole(file, json, "n_layer"), whole(file, json, "n_head"), width, 0.0, true,
                    PositionalEncoding.LEARNED, tied, gelu, epsilon).validate();
        } catch (UserError e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code config} as GPT2LMHeadModel's config.json; {@code endOfText} is the id of {@code <|endoftext|>} (null
     * when the tokenizer has none). GPT-2's layout has biases and a position table: bias=false and sinusoidal
     * positions are expressed by the tensors {@link StandInTensors} writes, rotary positions cannot be, and are
     * refused with the field and the reason. Exact GELU ("gelu") and an untied head
     * ({@code tie_word_embeddings} false) are settings HuggingFace's GPT-2 has, so they are exported as they are.
     */
    public static JsonObject toJson(GptConfig config, Integer endOfText) {
        requireExpressible(config);
        JsonObject json = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("GPT2LMHeadModel");
        json.add("architectures", architectures);
        json.addProperty("model_type", "gpt2");
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("n_positions", config.contextLength());
        json.addProperty("n_ctx", config.contextLength());
        json.addProperty("n_embd", config.embeddingWidth());
        json.addProperty("n_layer", config.layers());
        json.addProperty("n_head", config.heads());
        json.add("n_inner", null);
        json.addProperty("activation_function", config.gelu() == GeluForm.TANH ? "gelu_new" : "gelu");
        json.addProperty("layer_norm_epsilon", config.layerNormEpsilon());
        // One dropout in ScratchGPT; HuggingFace has three, all applied where ScratchGPT applies its one.
        json.addProperty("resid_pdrop", config.dropout());
        json.addProperty("embd_pdrop", config.dropout());
        json.addProperty("attn_pdrop", config.dropout());
        json.addProperty("initializer_range", 0.02);
        json.addProperty("tie_word_embeddings", config.tiedEmbeddings());
        json.addProperty("scale_attn_weights", true);
        json.addProperty("scale_attn_by_inverse_layer_idx", false);
        json.addProperty("reorder_and_upcast_attn", false);
        json.addProperty("use_cache", true);
        if (endOfText != null) { // GPT-2 begins and ends documents with the same token, <|endoftext|>
            json.addProperty("bos_token_id", endOfText);
            json.addProperty("eos_token_id", endOfText);
        }
        return json;
    }

    /** The same as text, as written to a folder. */
    public static String toJsonText(GptConfig config, Integer endOfText) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(toJson(config, endOfText));
    }

    private static void requireExpressible(GptConfig config) {
        if (config.positionalEncoding() == PositionalEncoding.ROTARY) {
            throw new UserError("positional_encoding is rotary: rotary positions turn queries and keys inside attention,"
                    + " which GPT-2's layout (a position table added to the embeddings, wpe) cannot express; `export djl`"
                    + " writes any model");
        }
    }

    // ---------------------------------------------------------------- reading fields

    private static JsonObject parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + " is missing: a HuggingFace GPT-2 folder holds config.json, model.safetensors and"
                    + " tokenizer.json (or vocab.json and merges.txt)");
        }
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new UserError(file + " is not a config.json: expected a JSON object at the top");
            }
            return json.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError(file + " is not valid JSON (" + JsonSyntax.describe(e) + "): is the file truncated?", e);
        }
    }

    private static JsonElement present(Path file, JsonObject json, String field) {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            throw new UserError(file + " has no " + field + ": a GPT-2 config.json gives it");
        }
        return value;
    }

    private static int whole(Path file, JsonObject json, String field) {
        JsonElement value = present(file, json, field);
        try {
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException();
            }
            return value.getAsBigDecimal().intValueExact();
        } catch (RuntimeException e) {
            throw new UserError(file + ": " + field + " must be a whole number, got " + value);
        }
    }

    private static double number(Path file, JsonObject json, String field) {
        JsonElement value = present(file, json, field);
        try {
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException();
            }
            return value.getAsDouble();
        } catch (RuntimeException e) {
            throw new UserError(file + ": " + field + " must be a number, got " + value);
        }
    }

    private static String text(Path file, JsonObject json, String field, String absent) {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return absent;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new UserError(file + ": " + field + " must be text, got " + value);
        }
        return value.getAsString();
    }

    private static boolean trueOrFalse(Path file, JsonObject json, String field, boolean absent) {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return absent;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new UserError(file + ": " + field + " must be true or false, got " + value);
        }
        return value.getAsBoolean();
    }

    private static void refuseUnless(Path file, JsonObject json, String field, boolean expected, String because) {
        JsonElement value = json.get(field);
        if (value != null && !value.isJsonNull() && trueOrFalse(file, json, field, expected) != expected) {
            throw new UserError(file + ": " + field + " is " + value + ", which ScratchGPT's GPT cannot compute ("
                    + because + ")");
        }
    }
}
