package org.scratchgpt.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scratchgpt.UserError;

/**
 * GPT-2's tokenizer in its older form, {@code vocab.json} (token to id) and {@code merges.txt} (one merge "a b"
 * a line, in the order they were learned, after a "#version" line), written as the tokenizer.json HuggingFace's
 * tokenizers library would make of them: byte-level BPE with GPT-2's split pattern and {@code <|endoftext|>} as
 * its one special token.
 */
final class Gpt2TokenizerFiles {

    static final String END_OF_TEXT = "<|endoftext|>";

    private Gpt2TokenizerFiles() {}

    /** Writes the tokenizer.json of {@code vocab} and {@code merges} to {@code target}. */
    static void convert(Path vocab, Path merges, Path target) throws IOException {
        JsonObject vocabulary = vocabulary(vocab);
        JsonArray mergeList = new JsonArray();
        List<String> lines = Files.readAllLines(merges, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new UserError(merges + " line " + (i + 1) + " is not a merge of two tokens \"a b\": '" + line + "'");
            }
            JsonArray merge = new JsonArray();
            merge.add(pair[0]);
            merge.add(pair[1]);
            mergeList.add(merge);
        }
        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", JsonNull.INSTANCE);
        json.add("padding", JsonNull.INSTANCE);
        json.add("added_tokens", endOfText(vocab, vocabulary));
        json.add("normalizer", JsonNull.INSTANCE);
        json.add("pre_tokenizer", byteLevel(false));
        json.add("post_processor", JsonNull.INSTANCE);
        json.add("decoder", byteLevel(true));
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocabulary);
        model.add("merges", mergeList);
        json.add("model", model);
        Files.writeString(target, new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(json),
                StandardCharsets.UTF_8);
    }

    private static JsonObject vocabulary(Path vocab) throws IOException {
        try {
            JsonElement json = JsonParser.parseString(Files.readString(vocab, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new UserError(vocab + " is not a GPT-2 vocab.json: expected a JSON object {\"token\": id, ...}");
            }
            return json.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError(vocab + " is not valid JSON: is the file truncated?", e);
        }
    }

    private static JsonArray endOfText(Path vocab, JsonObject vocabulary) {
        if (!vocabulary.has(END_OF_TEXT)) {
            throw new UserError(vocab + " has no " + END_OF_TEXT + " token: it is not GPT-2's vocabulary");
        }
        JsonObject token = new JsonObject();
        token.addProperty("id", vocabulary.get(END_OF_TEXT).getAsInt());
        token.addProperty("content", END_OF_TEXT);
        token.addProperty("single_word", false);
        token.addProperty("lstrip", false);
        token.addProperty("rstrip", false);
        token.addProperty("normalized", true);
        token.addProperty("special", true);
        JsonArray added = new JsonArray();
        added.add(token);
        return added;
    }

    /** GPT-2's ByteLevel step: as pre-tokenizer without a prefix space, as decoder with HuggingFace's settings. */
    private static JsonObject byteLevel(boolean addPrefixSpace) {
        JsonObject step = new JsonObject();
        step.addProperty("type", "ByteLevel");
        step.addProperty("add_prefix_space", addPrefixSpace);
        step.addProperty("trim_offsets", true);
        step.addProperty("use_regex", true);
        return step;
    }
}
