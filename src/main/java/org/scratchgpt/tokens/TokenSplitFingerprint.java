package org.scratchgpt.tokens;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.io.AtomicFiles;
import org.scratchgpt.io.Sha256;

/**
 * What a pair of {@code train.bin} / {@code val.bin} was made from (the sha256 of the corpus and of the
 * tokenizer.json) and what was written (vocab size, token counts), kept as a small JSON file next to them. When
 * both checksums match, encoding again would give the same ids, so the files can be reused; when either differs,
 * the ids would mean something else and must be made again.
 */
record TokenSplitFingerprint(String corpusSha256, String tokenizerSha256, int vocabSize, long trainTokens,
                             long valTokens) {
    private static final int FORMAT_VERSION = 1;
    private static final String[] FIELDS =
            {"format_version", "corpus_sha256", "tokenizer_sha256", "vocab_size", "train_tokens", "val_tokens"};

    /** The fingerprint of a corpus and tokenizer before anything is encoded: counts still unknown (0). */
    static TokenSplitFingerprint ofSources(byte[] corpus, byte[] tokenizerJson) {
        return new TokenSplitFingerprint(Sha256.of(corpus), Sha256.of(tokenizerJson), 0, 0, 0);
    }

    TokenSplitFingerprint withCounts(int vocab, long train, long val) {
        return new TokenSplitFingerprint(corpusSha256, tokenizerSha256, vocab, train, val);
    }

    /** Same corpus and same tokenizer: the counts are not compared, they are what the files are checked against. */
    boolean sameSourcesAs(TokenSplitFingerprint other) {
        return corpusSha256.equals(other.corpusSha256) && tokenizerSha256.equals(other.tokenizerSha256);
    }

    void write(Path file) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("format_version", FORMAT_VERSION);
        json.addProperty("corpus_sha256", corpusSha256);
        json.addProperty("tokenizer_sha256", tokenizerSha256);
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("train_tokens", trainTokens);
        json.addProperty("val_tokens", valTokens);
        json.addProperty("split", "the first 90% of the corpus's tokens are train.bin, the rest val.bin");
        String text = new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The fingerprint stored in {@code file}, or empty when there is none or it cannot be understood: the token
     * files are only a cache of the corpus, so anything doubtful is simply encoded again.
     */
    static Optional<TokenSplitFingerprint> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!hasPrimitiveFields(root)) {
                return Optional.empty();
            }
            JsonObject json = root.getAsJsonObject();
            if (json.get("format_version").getAsInt() != FORMAT_VERSION) {
                return Optional.empty();
            }
            return Optional.of(new TokenSplitFingerprint(json.get("corpus_sha256").getAsString(),
                    json.get("tokenizer_sha256").getAsString(), json.get("vocab_size").getAsInt(),
                    json.get("train_tokens").getAsLong(), json.get("val_tokens").getAsLong()));
        } catch (JsonParseException | NumberFormatException | CharacterCodingException e) {
            return Optional.empty(); // not UTF-8, not JSON, or a number field holding something else
        }
    }

    private static boolean hasPrimitiveFields(JsonElement root) {
        if (!root.isJsonObject()) {
            return false;
        }
        for (String field : FIELDS) {
            JsonElement value = root.getAsJsonObject().get(field);
            if (value == null || !value.isJsonPrimitive()) {
                return false;
            }
        }
        return true;
    }
}
