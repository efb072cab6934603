package org.scratchgpt.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPE model inside a HuggingFace {@code tokenizer.json}: its vocabulary and its merges.
 *
 * <p>Tokens are written in byte-level form: every byte is shown as one printable character
 * (a space is {@code Ġ}, a newline {@code Ċ}), so a merge pair never contains a real space.
 *
 * @param vocab each token and its id, in the order the file lists them
 * @param merges each merge as its two parts, highest priority (rank 0) first
 */
public record RawTokenizerJson(Map<String, Integer> vocab, List<String[]> merges) {

    public static RawTokenizerJson read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject model = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonObject("model");
            return new RawTokenizerJson(vocabOf(model), mergesOf(model));
        }
    }

    private static Map<String, Integer> vocabOf(JsonObject model) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : model.getAsJsonObject("vocab").entrySet()) {
            vocab.put(entry.getKey(), entry.getValue().getAsInt());
        }
        return vocab;
    }

    private static List<String[]> mergesOf(JsonObject model) {
        JsonArray array = model.getAsJsonArray("merges");
        List<String[]> merges = new ArrayList<>(array.size());
        for (JsonElement merge : array) {
            merges.add(pairOf(merge));
        }
        return merges;
    }

    /**
     * Newer files write a merge as {@code ["a","b"]}; older ones as the string {@code "a b"},
     * which is safe to split at its space because byte-level tokens hold no real spaces.
     */
    static String[] pairOf(JsonElement merge) {
        if (merge.isJsonArray()) {
            JsonArray pair = merge.getAsJsonArray();
            if (pair.size() == 2) {
                return new String[] {pair.get(0).getAsString(), pair.get(1).getAsString()};
            }
        } else {
            String[] pair = merge.getAsString().split(" ", -1);
            if (pair.length == 2) {
                return pair;
            }
        }
        throw new IllegalArgumentException("a merge must have exactly two parts: " + merge);
    }
}
