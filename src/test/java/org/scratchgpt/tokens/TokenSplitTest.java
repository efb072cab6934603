package org.scratchgpt.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.SharedData;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

class TokenSplitTest {
    @TempDir Path dir;

    @Test
    void firstNinetyPercentTrainsAndTheRestValidates() throws IOException {
        String text = randomText(1000, 1);
        CharTokenizer tokenizer = CharTokenizer.fromText(text);
        int[] ids = tokenizer.encode(text);

        TokenSplit split = TokenSplit.encode(text, tokenizer, dir, 8);

        assertEquals(900, split.train().size());
        assertEquals(100, split.val().size());
        assertArrayEquals(Arrays.copyOfRange(ids, 0, 900), split.train().read(0, 900));
        assertArrayEquals(Arrays.copyOfRange(ids, 900, 1000), split.val().read(0, 100));
        assertEquals(tokenizer.vocabSize(), split.train().vocabSize());
        assertEquals(dir.resolve(TokenSplit.TRAIN_FILE), split.train().path());
        assertEquals(dir.resolve(TokenSplit.VAL_FILE), split.val().path());
    }

    @Test
    void cutIsRoundedDownLikeNanoGpt() {
        // int(n * 0.9) in Python; 0.9 is not exact in binary, so the code uses n * 9 / 10.
        for (long n : new long[] {0, 1, 9, 10, 11, 19, 20, 30, 1003, 1_115_394, 9_000_000_001L}) {
            assertEquals(new java.math.BigDecimal(n).multiply(new java.math.BigDecimal("0.9")).longValue(),
                    TokenSplit.trainTokenCount(n), "n = " + n);
        }
        assertEquals(902, TokenSplit.trainTokenCount(1003));
    }

    @Test
    void tinyShakespeareSplitsAsInNanoGptShakespeareChar() throws IOException {
        // nanoGPT's data/shakespeare_char/prepare.py prints: train has 1,003,854 tokens, val has 111,540 tokens.
        String text = CorpusText.readUtf8(SharedData.tinyShakespeare());
        CharTokenizer tokenizer = CharTokenizer.fromText(text);

        TokenSplit split = TokenSplit.encode(text, tokenizer, dir, 256);

        assertEquals(65, split.train().vocabSize());
        assertEquals(1_003_854, split.train().size());
        assertEquals(111_540, split.val().size());
    }

    @Test
    void smallestCorpusForAContextIsTenContextsPlusOne() throws IOException {
        // 81 tokens: 72 train, 9 val; each part holds a window of 8 plus its target.
        String text = randomText(81, 2);

        TokenSplit split = TokenSplit.encode(text, CharTokenizer.fromText(text), dir, 8);

        assertEquals(9, split.val().size());
    }

    @Test
    void corpusTooShortForTheContextNamesTheSizesAndTheFix() {
        String text = randomText(80, 3); // 72 train, 8 val: val cannot hold 8 + 1

        UserError error = assertThrows(UserError.class,
                () -> TokenSplit.encode(text, CharTokenizer.fromText(text), dir, 8));

        String message = error.getMessage();
        assertTrue(message.contains("too short for a context length of 8"), message);
        assertTrue(message.contains("its 80 tokens split into 72 for training and 8 for validation"), message);
        assertTrue(message.contains("at least 9"), message);
        assertTrue(message.contains("a corpus of at least 81 tokens"), message);
        assertTrue(message.contains("block_size) of at most 7"), message);
        assertFalse(Files.exists(dir.resolve(TokenSplit.TRAIN_FILE)), "nothing is written for a corpus too short");
    }

    @Test
    void emptyCorpusIsAnError() throws IOException {
        UserError fromText = assertThrows(UserError.class,
                () -> TokenSplit.encode("", CharTokenizer.fromText("abc"), dir, 8));
        Path emptyFile = Files.createFile(dir.resolve("empty.txt"));
        Path tokenizer = saveTokenizer("abc");
        UserError fromFile = assertThrows(UserError.class,
                () -> TokenSplit.prepare(emptyFile, tokenizer, dir.resolve("tokens"), 8));

        assertTrue(fromText.getMessage().contains("the corpus is empty"), fromText.getMessage());
        assertTrue(fromFile.getMessage().contains("is empty"), fromFile.getMessage());
    }

    @Test
    void prepareEncodesOnceThenReusesTheFiles() throws IOException {
        String text = randomText(2000, 4);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");

        TokenSplit first = TokenSplit.prepare(corpus, tokenizer, out, 16);
        long writtenAt = Files.getLastModifiedTime(out.resolve(TokenSplit.TRAIN_FILE)).toMillis();
        TokenSplit second = TokenSplit.prepare(corpus, tokenizer, out, 16);

        assertFalse(first.reused());
        assertTrue(second.reused());
        assertEquals(writtenAt, Files.getLastModifiedTime(out.resolve(TokenSplit.TRAIN_FILE)).toMillis());
        assertArrayEquals(first.train().read(0, 1800), second.train().read(0, 1800));
        assertArrayEquals(first.val().read(0, 200), second.val().read(0, 200));
    }

    @Test
    void fingerprintRecordsTheChecksumsOfCorpusAndTokenizer() throws IOException {
        String text = randomText(500, 5);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");

        TokenSplit.prepare(corpus, tokenizer, out, 8);

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve(TokenSplit.FINGERPRINT_FILE)))
                .getAsJsonObject();
        assertEquals(org.scratchgpt.io.Sha256.of(Files.readAllBytes(corpus)), json.get("corpus_sha256").getAsString());
        assertEquals(org.scratchgpt.io.Sha256.of(Files.readAllBytes(tokenizer)),
                json.get("tokenizer_sha256").getAsString());
        assertEquals(450, json.get("train_tokens").getAsLong());
        assertEquals(50, json.get("val_tokens").getAsLong());
    }

    @Test
    void anotherCorpusOrTokenizerIsEncodedAgain() throws IOException {
        String text = randomText(1000, 6);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");
        TokenSplit.prepare(corpus, tokenizer, out, 8);

        Files.writeString(corpus, text.substring(0, 500));
        TokenSplit shorterCorpus = TokenSplit.prepare(corpus, tokenizer, out, 8);
        Path widerTokenizer = saveTokenizer(text + "XYZ"); // 3 more characters: other ids, other vocab size
        TokenSplit otherTokenizer = TokenSplit.prepare(corpus, widerTokenizer, out, 8);

        assertFalse(shorterCorpus.reused());
        assertEquals(450, shorterCorpus.train().size());
        assertFalse(otherTokenizer.reused());
        assertEquals(CharTokenizer.fromText(text).vocabSize() + 3, otherTokenizer.train().vocabSize());
    }

    @Test
    void damagedFileIsEncodedAgain() throws IOException {
        String text = randomText(1000, 7);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");
        TokenSplit original = TokenSplit.prepare(corpus, tokenizer, out, 8);
        int[] expected = original.val().read(0, 100);

        Path val = out.resolve(TokenSplit.VAL_FILE);
        Files.write(val, Arrays.copyOf(Files.readAllBytes(val), 50)); // truncated
        TokenSplit repaired = TokenSplit.prepare(corpus, tokenizer, out, 8);

        assertFalse(repaired.reused());
        assertArrayEquals(expected, repaired.val().read(0, 100));
    }

    @Test
    void unreadableFingerprintMeansEncodeAgain() throws IOException {
        String text = randomText(1000, 12);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");
        TokenSplit.prepare(corpus, tokenizer, out, 8);
        Path fingerprint = out.resolve(TokenSplit.FINGERPRINT_FILE);
        String good = Files.readString(fingerprint);

        for (String bad : new String[] {"not json {", "[1, 2]", good.replace("\"vocab_size\"", "\"vocab\""),
                                        good.replaceFirst("\"vocab_size\": \\d+", "\"vocab_size\": \"many\"")}) {
            Files.writeString(fingerprint, bad);
            assertFalse(TokenSplit.prepare(corpus, tokenizer, out, 8).reused(), bad);
            assertTrue(TokenSplit.prepare(corpus, tokenizer, out, 8).reused(), "written again after " + bad);
        }
    }

    @Test
    void encodingWithoutAFingerprintRemovesTheStaleOne() throws IOException {
        String text = randomText(1000, 8);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");
        TokenSplit.prepare(corpus, tokenizer, out, 8);

        String other = randomText(1000, 9);
        TokenSplit.encode(other, CharTokenizer.fromText(text), out, 8); // overwrites the .bin files
        TokenSplit again = TokenSplit.prepare(corpus, tokenizer, out, 8);

        assertFalse(again.reused(), "the fingerprint of the first corpus must not vouch for the second's ids");
        assertArrayEquals(CharTokenizer.fromText(text).encode(text.substring(900)), again.val().read(0, 100));
    }

    @Test
    void reusedFilesAreStillCheckedAgainstTheContextLength() throws IOException {
        String text = randomText(1000, 10);
        Path corpus = Files.writeString(dir.resolve("input.txt"), text);
        Path tokenizer = saveTokenizer(text);
        Path out = dir.resolve("tokens");
        TokenSplit.prepare(corpus, tokenizer, out, 8);

        UserError error = assertThrows(UserError.class, () -> TokenSplit.prepare(corpus, tokenizer, out, 128));

        assertTrue(error.getMessage().contains("too short for a context length of 128"), error.getMessage());
    }

    @Test
    void missingTokenizerFileIsAnError() throws IOException {
        Path corpus = Files.writeString(dir.resolve("input.txt"), randomText(1000, 11));
        Path missing = dir.resolve("tokenizer.json");

        UserError error = assertThrows(UserError.class, () -> TokenSplit.prepare(corpus, missing, dir, 8));

        assertTrue(error.getMessage().contains("tokenizer file " + missing), error.getMessage());
        assertTrue(error.getMessage().contains("not found"), error.getMessage());
    }

    private Path saveTokenizer(String text) throws IOException {
        Path file = Files.createTempFile(dir, "tokenizer", ".json");
        TokenizerJson.save(CharTokenizer.fromText(text), file);
        return file;
    }

    /** Text of {@code length} characters from a small alphabet, with multi-byte characters among them. */
    static String randomText(int length, long seed) {
        String alphabet = "abcdefgh ijklmnop\nqrstuvwxyzäöü✓";
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
