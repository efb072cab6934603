package org.scratchgpt.tokens;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.Failures;
import org.scratchgpt.io.Sha256;

/**
 * What the token shards of a prepared dataset are: {@value #FILE} in {@code OUT/tokens/}, next to a copy of the
 * tokenizer.json that made them. It names the tokenizer by SHA-256 (a run must train with that very tokenizer,
 * or the ids would mean other text), the id type on disk, the end-of-text id between documents, and per split its
 * documents, tokens and shards (each with the SHA-256 of its ids). The SHA-256 of this file is the dataset's
 * fingerprint: a resumed run checks that it still trains on the same tokens.
 */
public record DatasetManifest(String tokenizerSha256, int vocabSize, String dtype, int eotId, String eotToken,
        long tokensPerShard, Map<String, Split> splits) {
    /** The folder of a prepared dataset that holds the token shards, beside the split folders of documents. */
    public static final String FOLDER = "tokens";
    public static final String FILE = "dataset.json";
    public static final String TOKENIZER = "tokenizer.json";
    private static final int FORMAT_VERSION = 1;

    /** One split: how many documents and tokens, in which shards (paths relative to the tokens folder). */
    public record Split(long documents, long tokens, List<Shard> shards) {}

    /** One shard file: its path relative to the tokens folder, e.g. "train/shard-00000.bin". */
    public record Shard(String file, long tokens, String idsSha256) {}

    /** "uint16" for vocabularies of up to 65,536 tokens (ids 0..65535), "int32" above. */
    public static String dtypeFor(int vocabSize) {
        return vocabSize <= 1 << 16 ? "uint16" : "int32";
    }

    /** Tokens per split, in split order. */
    public Map<String, Long> tokensPerSplit() {
        Map<String, Long> tokens = new LinkedHashMap<>();
        splits.forEach((name, split) -> tokens.put(name, split.tokens()));
        return tokens;
    }

    public void write(Path file) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("format_version", FORMAT_VERSION);
        json.addProperty("tokenizer_sha256", tokenizerSha256);
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("dtype", dtype);
        json.addProperty("bytes_per_token", dtype.equals("uint16") ? 2 : 4);
        json.addProperty("eot_id", eotId);
        json.addProperty("eot_token", eotToken);
        json.addProperty("tokens_per_shard", tokensPerShard);
        json.addProperty("layout", "each split is one stream: its documents in order, separated by eot_id, cut into"
                + " shards of tokens_per_shard tokens; each shard is a ScratchGPT token file (32-byte header, then"
                + " little-endian ids)");
        JsonObject splitsJson = new JsonObject();
        splits.forEach((name, split) -> splitsJson.add(name, toJson(split)));
        json.add("splits", splitsJson);
        String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject toJson(Split split) {
        JsonObject json = new JsonObject();
        json.addProperty("documents", split.documents());
        json.addProperty("tokens", split.tokens());
        JsonArray shards = new JsonArray();
        for (Shard shard : split.shards()) {
            JsonObject s = new JsonObject();
            s.addProperty("file", shard.file());
            s.addProperty("tokens", shard.tokens());
            s.addProperty("ids_sha256", shard.idsSha256());
            shards.add(s);
        }
        json.add("shards", shards);
        return json;
    }

    /**
     * The manifest in {@code tokensDir}.
     *
     * @throws UserError if there is none or it cannot be read
     */
    public static DatasetManifest read(Path tokensDir) throws IOException {
        Path file = tokensDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + " not found: this is not a prepared dataset with token shards; make one with"
                    + " `scratchgpt data prepare --input ... --out DIR --tokenizer FILE`");
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (json.get("format_version").getAsInt() != FORMAT_VERSION) {
                throw new UserError(file + " has format version " + json.get("format_version") + ", this ScratchGPT"
                        + " reads " + FORMAT_VERSION + ": run `scratchgpt data prepare` again");
            }
            Map<String, Split> splits = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("splits").entrySet()) {
                splits.put(e.getKey(), splitOf(e.getValue().getAsJsonObject()));
            }
            return new DatasetManifest(json.get("tokenizer_sha256").getAsString(), json.get("vocab_size").getAsInt(),
                    json.get("dtype").getAsString(), json.get("eot_id").getAsInt(),
                    json.get("eot_token").getAsString(), json.get("tokens_per_shard").getAsLong(), splits);
        } catch (RuntimeException e) {
            if (e instanceof UserError user) {
                throw user;
            }
            throw new UserError(file + " is damaged (" + Failures.why(e) + "): run `scratchgpt data prepare` again");
        }
    }

    private static Split splitOf(JsonObject json) {
        List<Shard> shards = new ArrayList<>();
        for (JsonElement element : json.getAsJsonArray("shards")) {
            JsonObject s = element.getAsJsonObject();
            shards.add(new Shard(s.get("file").getAsString(), s.get("tokens").getAsLong(),
                    s.get("ids_sha256").getAsString()));
        }
        return new Split(json.get("documents").getAsLong(), json.get("tokens").getAsLong(), List.copyOf(shards));
    }

    /** The dataset's fingerprint: the SHA-256 of its manifest, which names every shard's ids by SHA-256. */
    public static String fingerprint(Path tokensDir) throws IOException {
        return Sha256.of(tokensDir.resolve(FILE));
    }
}
