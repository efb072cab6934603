package org.scratchgpt.tokenizer;

import com.google.gson.Gson;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;

/**
 * Saves and loads tokenizers in HuggingFace's {@code tokenizer.json} format, so that a tokenizer
 * trained here works in HuggingFace tokenizers (and DJL's binding of it), and GPT-2's own file works here.
 *
 * <p>A byte-level BPE is written as: model BPE (vocab + merges), pre-tokenizer ByteLevel (GPT-2's
 * regex) or Split(regex) then ByteLevel, decoder ByteLevel, special tokens as "added_tokens". A
 * character-level tokenizer is written as a BPE with no merges and no pre-tokenizer, decoded by Fuse.
 */
public final class TokenizerJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private TokenizerJson() {}

    // ---------------------------------------------------------------- save

    /** Writes {@code tokenizer} to {@code file} atomically. */
    public static void save(Tokenizer tokenizer, Path file) throws IOException {
        JsonObject json;
        if (tokenizer instanceof BpeTokenizer bpe) {
            json = bpeJson(bpe);
        } else if (tokenizer instanceof CharTokenizer chars) {
            json = charJson(chars);
        } else {
            throw new IllegalArgumentException("cannot save a " + tokenizer.getClass().getSimpleName());
        }
        AtomicFiles.write(file, GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject bpeJson(BpeTokenizer bpe) {
        PreTokenizer pre = bpe.preTokenizer();
        JsonObject byteLevel = byteLevel(pre.addPrefixSpace(), SplitPattern.GPT2.regex().equals(pre.regex()));
        JsonElement preTokenizer = byteLevel;
        if (pre.regex() != null && !SplitPattern.GPT2.regex().equals(pre.regex())) {
            JsonObject split = new JsonObject();
            split.addProperty("type", "Split");
            JsonObject pattern = new JsonObject();
            pattern.addProperty("Regex", pre.regex());
            split.add("pattern", pattern);
            split.addProperty("behavior", "Isolated");
            split.addProperty("invert", false);
            JsonArray steps = new JsonArray();
            steps.add(split);
            steps.add(byteLevel(pre.addPrefixSpace(), false));
            JsonObject sequence = new JsonObject();
            sequence.addProperty("type", "Sequence");
            sequence.add("pretokenizers", steps);
            preTokenizer = sequence;
        }
        JsonArray merges = new JsonArray();
        for (String[] pair : bpe.merges()) {
            JsonArray m = new JsonArray();
            m.add(pair[0]);
            m.add(pair[1]);
            merges.add(m);
        }
        // HuggingFace gives an added token the id in "added_tokens" only when the model's vocabulary
        // holds it at that id too (its own trainer writes them there), so the special tokens go in both.
        Map<String, Integer> vocab = new LinkedHashMap<>(bpe.vocab());
        vocab.putAll(bpe.specialTokens());
        return document(bpe.specialTokens(), preTokenizer, byteLevel(true, true), vocab, merges);
    }

    private static JsonObject charJson(CharTokenizer chars) {
        JsonObject fuse = new JsonObject();
        fuse.addProperty("type", "Fuse");
        Map<String, Integer> vocab = new LinkedHashMap<>(chars.vocab());
        vocab.putAll(chars.specialTokens()); // in both places, as for BPE above
        return document(chars.specialTokens(), JsonNull.INSTANCE, fuse, vocab, new JsonArray());
    }

    private static JsonObject document(Map<String, Integer> specials, JsonElement preTokenizer, JsonElement decoder,
            Map<String, Integer> vocab, JsonArray merges) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        JsonArray added = new JsonArray();
        specials.forEach((content, id) -> added.add(addedToken(content, id)));
        root.add("added_tokens", added);
        root.add("normalizer", JsonNull.INSTANCE);
        root.add("pre_tokenizer", preTokenizer);
        root.add("post_processor", JsonNull.INSTANCE);
        root.add("decoder", decoder);
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.addProperty("ignore_merges", false);
        JsonObject vocabJson = new JsonObject();
        vocab.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> vocabJson.addProperty(e.getKey(), e.getValue()));
        model.add("vocab", vocabJson);
        model.add("merges", merges);
        root.add("model", model);
        return root;
    }

    private static JsonObject byteLevel(boolean addPrefixSpace, boolean useRegex) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "ByteLevel");
        o.addProperty("add_prefix_space", addPrefixSpace);
        o.addProperty("trim_offsets", true);
        o.addProperty("use_regex", useRegex);
        return o;
    }

    private static JsonObject addedToken(String content, int id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("content", content);
        o.addProperty("single_word", false);
        o.addProperty("lstrip", false);
        o.addProperty("rstrip", false);
        o.addProperty("normalized", false);
        o.addProperty("special", true);
        return o;
    }

    // ---------------------------------------------------------------- load

    /** Reads a tokenizer.json written by ScratchGPT or by HuggingFace (GPT-2 family, byte-level BPE). */
    public static Tokenizer load(Path file) throws IOException {
        JsonObject root = parse(file);
        String where = file.toString();
        JsonObject model = object(root, "model", where);
        String type = string(model, "type", where);
        if (!"BPE".equals(type)) {
            throw new UserError(where + " holds a " + type + " model, not BPE: ScratchGPT loads byte-level BPE"
                    + " (GPT-2 family) and character-level tokenizers");
        }
        rejectUnsupported(root, model, where);
        Map<String, Integer> vocab = vocab(model, where);
        JsonElement decoder = root.get("decoder");
        boolean fuse = decoder != null && decoder.isJsonObject() && "Fuse".equals(string(decoder.getAsJsonObject(), "type", where));
        SpecialTokens specials = specials(root, where);
        specials.asMap().forEach(vocab::remove); // listed in the vocabulary too, but not BPE tokens or characters
        if (fuse && isNull(root.get("pre_tokenizer"))) {
            return new CharTokenizer(vocab, specials);
        }
        return new BpeTokenizer(vocab, merges(model, where), specials, preTokenizer(root, where));
    }

    private static JsonObject parse(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UserError("tokenizer file " + file + " is a folder: give the tokenizer.json inside it, e.g. "
                    + file.resolve("tokenizer.json"));
        }
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new UserError(file + " is not a tokenizer.json: expected a JSON object at the top");
            }
            return json.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new UserError("tokenizer file " + file + " not found: train one with `scratchgpt tokenizer train`"
                    + " or give the path of a tokenizer.json");
        } catch (JsonParseException e) {
            throw new UserError(file + " is not valid JSON (" + org.scratchgpt.config.JsonSyntax.describe(e) + "): is the file truncated?", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(file + " is not UTF-8 text: is it a tokenizer.json at all?", e);
        }
    }

    private static void rejectUnsupported(JsonObject root, JsonObject model, String where) {
        if (!isNull(root.get("normalizer"))) {
            throw new UserError(where + " uses a normalizer, which ScratchGPT does not implement: only tokenizers"
                    + " without one (like GPT-2's) can be loaded");
        }
        if (!isNull(model.get("dropout")) && model.get("dropout").getAsDouble() != 0) {
            throw new UserError(where + " asks for BPE dropout, which ScratchGPT does not implement");
        }
        for (String field : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonElement e = model.get(field);
            if (!isNull(e) && !e.getAsString().isEmpty()) {
                throw new UserError(where + " sets " + field + ", which byte-level BPE does not use");
            }
        }
        for (String field : new String[] {"byte_fallback", "ignore_merges"}) {
            JsonElement e = model.get(field);
            if (!isNull(e) && e.getAsBoolean()) {
                throw new UserError(where + " sets " + field + " = true, which ScratchGPT does not implement");
            }
        }
    }

    private static Map<String, Integer> vocab(JsonObject model, String where) {
        JsonObject json = object(model, "vocab", where);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isNumber()) {
                throw new UserError(where + ": the id of vocabulary token '" + e.getKey() + "' is not a number");
            }
            vocab.put(e.getKey(), e.getValue().getAsInt());
        }
        return vocab;
    }

    /** Merges come as ["a", "b"] pairs (newer files) or "a b" strings (older files, GPT-2's merges.txt style). */
    private static List<String[]> merges(JsonObject model, String where) {
        JsonElement json = model.get("merges");
        if (json == null || !json.isJsonArray()) {
            throw new UserError(where + ": the BPE model has no \"merges\" list");
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonElement m : json.getAsJsonArray()) {
            String[] pair = null;
            if (m.isJsonArray() && m.getAsJsonArray().size() == 2) {
                pair = new String[] {m.getAsJsonArray().get(0).getAsString(), m.getAsJsonArray().get(1).getAsString()};
            } else if (m.isJsonPrimitive()) {
                pair = m.getAsString().split(" ", -1);
            }
            if (pair == null || pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                throw new UserError(where + ": merge #" + merges.size() + " (" + m + ") is not a pair of tokens");
            }
            merges.add(pair);
        }
        return merges;
    }

    private static SpecialTokens specials(JsonObject root, String where) {
        JsonElement json = root.get("added_tokens");
        Map<String, Integer> specials = new LinkedHashMap<>();
        if (isNull(json)) {
            return SpecialTokens.NONE;
        }
        for (JsonElement e : json.getAsJsonArray()) {
            JsonObject t = e.getAsJsonObject();
            String content = string(t, "content", where);
            if (!flag(t, "special")) {
                throw new UserError(where + ": added token '" + content + "' is not special; ScratchGPT supports only"
                        + " special added tokens");
            }
            for (String option : new String[] {"single_word", "lstrip", "rstrip"}) {
                if (flag(t, option)) {
                    throw new UserError(where + ": added token '" + content + "' sets " + option
                            + ", which ScratchGPT does not implement");
                }
            }
            specials.put(content, t.get("id").getAsInt());
        }
        return new SpecialTokens(specials);
    }

    private static PreTokenizer preTokenizer(JsonObject root, String where) {
        JsonElement json = root.get("pre_tokenizer");
        String supported = "supported: ByteLevel, or Sequence[Split(regex), ByteLevel(use_regex=false)]";
        if (isNull(json)) {
            throw new UserError(where + " has no pre-tokenizer; a byte-level BPE needs ByteLevel (" + supported + ")");
        }
        JsonObject pre = json.getAsJsonObject();
        String type = string(pre, "type", where);
        if ("ByteLevel".equals(type)) {
            String regex = flag(pre, "use_regex") ? SplitPattern.GPT2.regex() : null;
            return new PreTokenizer(regex, flag(pre, "add_prefix_space"));
        }
        if ("Sequence".equals(type)) {
            JsonArray steps = pre.getAsJsonArray("pretokenizers");
            if (steps != null && steps.size() == 2) {
                JsonObject split = steps.get(0).getAsJsonObject();
                JsonObject byteLevel = steps.get(1).getAsJsonObject();
                if ("Split".equals(string(split, "type", where)) && "ByteLevel".equals(string(byteLevel, "type", where))
                        && !flag(byteLevel, "use_regex") && !flag(split, "invert")
                        && "Isolated".equals(string(split, "behavior", where))) {
                    return new PreTokenizer(splitRegex(split, where), flag(byteLevel, "add_prefix_space"));
                }
            }
        }
        throw new UserError(where + ": pre-tokenizer " + pre + " is not supported (" + supported + ")");
    }

    private static String splitRegex(JsonObject split, String where) {
        JsonObject pattern = object(split, "pattern", where);
        if (pattern.has("Regex")) {
            return pattern.get("Regex").getAsString();
        }
        if (pattern.has("String")) {
            return Pattern.quote(pattern.get("String").getAsString());
        }
        throw new UserError(where + ": split pattern " + pattern + " is neither a Regex nor a String");
    }

    private static JsonObject object(JsonObject parent, String key, String where) {
        JsonElement e = parent.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new UserError(where + ": \"" + key + "\" is missing or not an object; is this a tokenizer.json?");
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject parent, String key, String where) {
        JsonElement e = parent.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new UserError(where + ": \"" + key + "\" is missing or not a string; is this a tokenizer.json?");
        }
        return e.getAsString();
    }

    private static boolean flag(JsonObject parent, String key) {
        JsonElement e = parent.get(key);
        return e != null && !e.isJsonNull() && e.getAsBoolean();
    }

    private static boolean isNull(JsonElement e) {
        return e == null || e.isJsonNull();
    }
}
