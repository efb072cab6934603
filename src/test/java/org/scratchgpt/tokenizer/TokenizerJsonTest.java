package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

class TokenizerJsonTest {
    @TempDir Path dir;

    private static final String TEXT = "It was the best of times, it was the worst of times.\n日本語のテキスト 123 😀\n";

    private BpeTokenizer trained(SplitPattern pattern) {
        return new BpeTrainer(400, 0, List.of("<|endoftext|>"), PreTokenizer.of(pattern), false)
                .train(TEXT.repeat(3));
    }

    @Test
    void bpeSurvivesSaveAndLoadForBothPatterns() throws IOException {
        for (SplitPattern pattern : SplitPattern.values()) {
            BpeTokenizer original = trained(pattern);
            Path file = dir.resolve(pattern + ".json");
            TokenizerJson.save(original, file);
            BpeTokenizer loaded = (BpeTokenizer) TokenizerJson.load(file);
            assertEquals(original.vocab(), loaded.vocab());
            assertEquals(original.specialTokens(), loaded.specialTokens());
            assertEquals(pattern.regex(), loaded.preTokenizer().regex());
            assertArrayEquals(original.encodeWithSpecialTokens(TEXT + "<|endoftext|>"),
                    loaded.encodeWithSpecialTokens(TEXT + "<|endoftext|>"));
        }
    }

    @Test
    void charTokenizerSurvivesSaveAndLoad() throws IOException {
        CharTokenizer original = CharTokenizer.fromText(TEXT);
        Path file = dir.resolve("char.json");
        TokenizerJson.save(original, file);
        Tokenizer loaded = TokenizerJson.load(file);
        assertTrue(loaded instanceof CharTokenizer);
        assertArrayEquals(original.encode(TEXT), loaded.encode(TEXT));
    }

    @Test
    void savingLeavesNoTemporaryFileBehind() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        TokenizerJson.save(trained(SplitPattern.GPT2), file);
        TokenizerJson.save(trained(SplitPattern.GPT2), file); // overwrite in place
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    private String errorFor(String json) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        return assertThrows(UserError.class, () -> TokenizerJson.load(file)).getMessage();
    }

    @Test
    void malformedOrForeignFilesAreClearErrors() throws IOException {
        assertTrue(errorFor("{\"model\": {\"type\": \"BPE\", \"vocab\": {").contains("not valid JSON"));
        assertTrue(errorFor("[1, 2]").contains("JSON object"));
        assertTrue(errorFor("{\"version\": \"1.0\"}").contains("\"model\" is missing"));
        assertTrue(errorFor("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}").contains("not BPE"));
        String missing = assertThrows(UserError.class, () -> TokenizerJson.load(dir.resolve("nope.json"))).getMessage();
        assertTrue(missing.contains("not found"), missing);
    }

    @Test
    void aVocabularyWithoutAllBytesEncodesOnlyItsOwnBytes() throws IOException {
        String byteLevel = "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":true}";
        String onlyA = "{\"pre_tokenizer\":" + byteLevel + ",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]}}";
        Path file = dir.resolve("only-a.json");
        Files.writeString(file, onlyA);
        Tokenizer t = TokenizerJson.load(file);
        assertArrayEquals(new int[] {0, 0}, t.encode("aa"));
        String error = assertThrows(UserError.class, () -> t.encode("ab")).getMessage();
        assertTrue(error.contains("no token for the byte 0x62"), error);
    }

    @Test
    void brokenMergesAreRejected() throws IOException {

        BpeTokenizer good = trained(SplitPattern.GPT2);
        Path file = dir.resolve("good.json");
        TokenizerJson.save(good, file);
        String json = Files.readString(file);
        String firstMerge = "\"" + good.merges().get(0)[0] + "\",\n        \"" + good.merges().get(0)[1] + "\"";
        assertTrue(json.contains(firstMerge), "the test expects pretty-printed merges");
        String broken = json.replace(firstMerge, "\"" + good.merges().get(0)[0] + "\",\n        \"zzzz\"");
        assertTrue(errorFor(broken).contains("merge #0"));
    }

    @Test
    void aSpecialTokenThatCollidesWithABpeTokenIsRejected() throws IOException {
        BpeTokenizer good = trained(SplitPattern.GPT2);
        Path file = dir.resolve("good.json");
        TokenizerJson.save(good, file);
        // Rename the special token to the text of a learned token ("Ġthe" is " the"): it would shadow it.
        String json = Files.readString(file).replace("\"content\": \"<|endoftext|>\"", "\"content\": \" the\"");
        assertTrue(errorFor(json).contains("collides"));
    }

    @Test
    void unsupportedFeaturesAreNamed() throws IOException {
        BpeTokenizer good = trained(SplitPattern.GPT2);
        Path file = dir.resolve("good.json");
        TokenizerJson.save(good, file);
        String json = Files.readString(file);
        assertTrue(errorFor(json.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"NFC\"}"))
                .contains("normalizer"));
        assertTrue(errorFor(json.replace("\"ignore_merges\": false", "\"ignore_merges\": true"))
                .contains("ignore_merges"));
    }
}
