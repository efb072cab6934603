package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.CharTokenizer;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;

class TokenizerCommandTest {
    /** Several scripts, an emoji (outside the BMP), a tab and a newline: the things tokenizers get wrong. */
    private static final String MULTILINGUAL = "Thou art naïve — 你好, мир! 🙂\tdone\n";

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static CliRun runWithStandardInput(String input, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(original);
        }
    }

    private static void assertSucceeded(CliRun result) {
        assertEquals(0, result.exitCode(), result.err());
    }

    /** A user error: exit code 1 and one line, no stack trace, that contains {@code expected}. */
    private static void assertFailsWith(CliRun result, String... expected) {
        CliAssertions.assertOneLineError(result.exitCode(), result.err(), expected);
    }

    /** A small training text: a few lines repeated, so that BPE finds pairs worth merging. */
    private Path corpus() throws IOException {
        String lines = "To be, or not to be: that is the question.\n" + MULTILINGUAL
                + "Добрый вечер, café crème, 你好世界!\n";
        return Files.writeString(dir.resolve("corpus.txt"), lines.repeat(20));
    }

    /** Trains a 300-token BPE tokenizer on {@link #corpus} with the extra options, and returns its file. */
    private Path trainedTokenizer(String... extraOptions) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        List<String> args = new ArrayList<>(List.of("tokenizer", "train", "--quiet", "--vocab-size", "300",
                "--input", corpus().toString(), "--output", file.toString()));
        args.addAll(List.of(extraOptions));
        assertSucceeded(run(args.toArray(String[]::new)));
        return file;
    }

    private static String[] ids(String encodeOutput) {
        return encodeOutput.strip().split(" ");
    }

    // ---------------------------------------------------------------- train

    @Test
    void trainSavesATokenizerThatLoadsAndPrintsASummary() throws IOException {
        Path file = dir.resolve("models").resolve("tokenizer.json");

        CliRun result = run("tokenizer", "train", "--quiet", "--vocab-size", "300",
                "--input", corpus().toString(), "--output", file.toString());

        assertSucceeded(result);
        Tokenizer loaded = TokenizerJson.load(file);
        assertInstanceOf(BpeTokenizer.class, loaded);
        assertEquals(300, loaded.vocabSize());
        assertEquals(Map.of("<|endoftext|>", 0), loaded.specialTokens());
        for (String line : List.of("vocabulary:  300 tokens (1 special)", "merges:      43", "time:",
                "bytes per token (on the training text)", "saved to " + file)) {
            assertTrue(result.out().contains(line), line + " missing from:\n" + result.out());
        }
    }

    @Test
    void specialTokensCanBeReplacedOrLeftOut() throws IOException {
        Path chosen = trainedTokenizer("--special", "<|a|>", "--special", "<|b|>");
        assertEquals(Map.of("<|a|>", 0, "<|b|>", 1), TokenizerJson.load(chosen).specialTokens());

        Path none = trainedTokenizer("--no-special", "--force");
        assertEquals(Map.of(), TokenizerJson.load(none).specialTokens());
    }

    @Test
    void anExistingTokenizerIsKeptUnlessForced() throws IOException {
        Path file = trainedTokenizer();
        byte[] first = Files.readAllBytes(file);
        assertFailsWith(run("tokenizer", "train", "--quiet", "--vocab-size", "280", "--input", corpus().toString(),
                "--output", file.toString()), "already exists", "--force");
        assertArrayEquals(first, Files.readAllBytes(file), "the refused run left the file as it was");
        assertSucceeded(run("tokenizer", "train", "--quiet", "--vocab-size", "280", "--input", corpus().toString(),
                "--output", file.toString(), "--force"));
        assertEquals(280, TokenizerJson.load(file).vocabSize());
    }

    @Test
    void fullVocabularyMergesUntilNoPairIsLeft() throws IOException {
        Path file = dir.resolve("full.json");

        assertSucceeded(run("tokenizer", "train", "--quiet", "--vocab-size", "full", "--input", corpus().toString(),
                "--output", file.toString()));
        BpeTokenizer full = (BpeTokenizer) TokenizerJson.load(file);
        assertEquals(1 + 256 + full.merges().size(), full.vocabSize());
        assertTrue(full.vocabSize() > 300, "more merges than a 300-token vocabulary holds");
    }

    @Test
    void aSmallTextMayStopTrainingEarlyAndTheSummarySaysWhy() throws IOException {
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "abab\n");

        CliRun result = run("tokenizer", "train", "--quiet", "--input", tiny.toString(),
                "--output", dir.resolve("t.json").toString());

        assertSucceeded(result);
        assertTrue(result.out().contains("fewer tokens than the 1,024 asked for"), result.out());
    }

    @Test
    void charBuildsACharacterTokenizer() throws IOException {
        Path file = dir.resolve("chars.json");

        CliRun result = run("tokenizer", "train", "--char", "--input", corpus().toString(),
                "--output", file.toString());

        assertSucceeded(result);
        Tokenizer loaded = TokenizerJson.load(file);
        assertInstanceOf(CharTokenizer.class, loaded);
        long distinctCharacters = Files.readString(corpus()).codePoints().distinct().count();
        assertEquals(distinctCharacters, loaded.vocabSize());
    }

    @Test
    void charRefusesBpeSettings() throws IOException {
        CliRun result = run("tokenizer", "train", "--char", "--vocab-size", "300", "--input", corpus().toString(),
                "--output", dir.resolve("chars.json").toString());

        assertFailsWith(result, "--vocab-size is a BPE setting");
        assertFalse(Files.exists(dir.resolve("chars.json")));
    }

    @Test
    void aVocabularyTooSmallForTheBytesIsAnError() throws IOException {
        CliRun result = run("tokenizer", "train", "--vocab-size", "100", "--input", corpus().toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "256");
    }

    @Test
    void aVocabularySizeThatIsNoNumberIsAnError() throws IOException {
        CliRun result = run("tokenizer", "train", "--vocab-size", "lots", "--input", corpus().toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "--vocab-size lots is not a number");
    }

    @Test
    void aVocabularySizeTooLargeForAnIntSaysSoNotThatItIsNoNumber() throws IOException {
        CliRun result = run("tokenizer", "train", "--vocab-size", "99999999999", "--input", corpus().toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "--vocab-size 99999999999 is too large: at most 2147483647: give a whole number");
    }

    @Test
    void anUnknownPatternIsAnError() throws IOException {
        CliRun result = run("tokenizer", "train", "--pattern", "gpt5", "--input", corpus().toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "give gpt2 or gpt4");
    }

    @Test
    void aMissingInputIsAnErrorThatNamesThePath() {
        Path missing = dir.resolve("missing.txt");

        CliRun result = run("tokenizer", "train", "--input", missing.toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, missing.toString());
    }

    @Test
    void anEmptyInputIsAnError() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));

        CliRun result = run("tokenizer", "train", "--input", empty.toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "is empty");
    }

    @Test
    void anInputThatIsNotUtf8IsAnErrorWithTheOffset() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "café".getBytes(StandardCharsets.ISO_8859_1));

        CliRun result = run("tokenizer", "train", "--input", latin1.toString(),
                "--output", dir.resolve("t.json").toString());

        assertFailsWith(result, "offset 3 (0xE9)");
    }

    // ---------------------------------------------------------------- encode and decode

    @Test
    void encodeThenDecodeGivesBackAMultilingualLine() throws IOException {
        String tokenizer = trainedTokenizer().toString();

        CliRun encoded = run("tokenizer", "encode", "--tokenizer", tokenizer, "--text", MULTILINGUAL);
        assertSucceeded(encoded);
        List<String> decodeArgs = new ArrayList<>(List.of("tokenizer", "decode", "--tokenizer", tokenizer));
        decodeArgs.addAll(List.of(ids(encoded.out())));
        CliRun decoded = run(decodeArgs.toArray(String[]::new));

        assertSucceeded(decoded);
        assertEquals(MULTILINGUAL, decoded.out());
    }

    @Test
    void encodeAndDecodeReadStandardInput() throws IOException {
        String tokenizer = trainedTokenizer().toString();

        CliRun encoded = runWithStandardInput(MULTILINGUAL, "tokenizer", "encode", "--tokenizer", tokenizer);
        CliRun decoded = runWithStandardInput(encoded.out(), "tokenizer", "decode", "--tokenizer", tokenizer);

        assertSucceeded(decoded);
        assertEquals(MULTILINGUAL, decoded.out());
    }

    @Test
    void encodeReadsAnInputFile() throws IOException {
        String tokenizer = trainedTokenizer().toString();
        Path text = Files.writeString(dir.resolve("line.txt"), MULTILINGUAL);

        CliRun fromFile = run("tokenizer", "encode", "--tokenizer", tokenizer, "--input", text.toString());
        CliRun fromText = run("tokenizer", "encode", "--tokenizer", tokenizer, "--text", MULTILINGUAL);

        assertSucceeded(fromFile);
        assertEquals(fromText.out(), fromFile.out());
    }

    @Test
    void allowSpecialEncodesEndOfTextAsItsOwnId() throws IOException {
        String tokenizer = trainedTokenizer().toString();

        CliRun plain = run("tokenizer", "encode", "--tokenizer", tokenizer, "--text", "<|endoftext|>");
        CliRun special = run("tokenizer", "encode", "--tokenizer", tokenizer, "--text", "<|endoftext|>",
                "--allow-special");

        assertEquals("0", special.out().strip());
        assertTrue(ids(plain.out()).length > 1, "as plain text it is several tokens: " + plain.out());
        assertFalse(List.of(ids(plain.out())).contains("0"), plain.out());
    }

    @Test
    void showTokensPrintsIdStoredFormAndEscapedText() throws IOException {
        String tokenizer = trainedTokenizer().toString();

        CliRun result = run("tokenizer", "encode", "--tokenizer", tokenizer, "--text", "a\nb", "--show-tokens");

        assertSucceeded(result);
        List<String> lines = result.out().lines().toList();
        assertEquals(3, lines.size(), result.out());
        assertTrue(lines.get(1).matches("\\d+\tĊ\t\"\\\\n\""), "the newline, visible and escaped: " + lines.get(1));
    }

    @Test
    void encodeRefusesTwoSourcesOfText() throws IOException {
        CliRun result = run("tokenizer", "encode", "--tokenizer", trainedTokenizer().toString(),
                "--text", "hi", "--input", corpus().toString());

        assertFailsWith(result, "give only one of them");
    }

    @Test
    void decodingAnUnknownIdIsAnError() throws IOException {
        CliRun result = run("tokenizer", "decode", "--tokenizer", trainedTokenizer().toString(), "5", "99999");

        assertFailsWith(result, "token id 99999 is not in this tokenizer's vocabulary");
    }

    @Test
    void decodingSomethingThatIsNoIdIsAnError() throws IOException {
        CliRun result = run("tokenizer", "decode", "--tokenizer", trainedTokenizer().toString(), "5", "abc");

        assertFailsWith(result, "'abc' is not a token id");
    }

    @Test
    void aMissingTokenizerFileSaysHowToTrainOne() {
        CliRun result = run("tokenizer", "encode", "--tokenizer", dir.resolve("none.json").toString(), "--text", "x");

        assertFailsWith(result, "scratchgpt tokenizer train");
    }

    @Test
    void aFolderGivenAsAFileIsNamedWithWhatToPassInstead() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));

        assertFailsWith(run("tokenizer", "encode", "--tokenizer", folder.toString(), "--text", "x"),
                "tokenizer file " + folder + " is a folder: give the tokenizer.json inside it, e.g. "
                        + folder.resolve("tokenizer.json"));
        assertFailsWith(run("tokenizer", "decode", "--tokenizer", folder.toString(), "1"), "is a folder");
        assertFailsWith(run("tokenizer", "stats", "--tokenizer", folder.toString()), "is a folder");
        String tokenizer = trainedTokenizer().toString();
        assertFailsWith(run("tokenizer", "encode", "--tokenizer", tokenizer, "--input", folder.toString()),
                "corpus file " + folder + " is a folder: pass the text file inside it");
        assertFailsWith(run("tokenizer", "stats", "--tokenizer", tokenizer, "--text-file", folder.toString()),
                "corpus file " + folder + " is a folder");
        assertFailsWith(run("tokenizer", "train", "--input", folder.toString(), "--output",
                dir.resolve("t.json").toString()), "corpus file " + folder + " is a folder");
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamedBeforeTrainingAndNoTemporaryFileIs() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("file"), "x");

        CliRun intoFolder = run("tokenizer", "train", "--quiet", "--input", corpus().toString(),
                "--output", folder.toString());
        assertFailsWith(intoFolder, "cannot write the tokenizer " + folder + ": it is a folder: give --output a file"
                + " name, e.g. " + folder.resolve("tokenizer.json"));
        assertFalse(intoFolder.err().contains(".tmp"), intoFolder.err());
        assertFailsWith(run("tokenizer", "train", "--quiet", "--input", corpus().toString(),
                "--output", file.resolve("t.json").toString()),
                "cannot write the tokenizer " + file.resolve("t.json") + ": " + file + " is a file, not a folder");
        assertEquals("", intoFolder.out(), "refused before training, so no summary");
    }

    @Test
    void aMissingInputOrTextFileIsNamed() throws IOException {
        Path missing = dir.resolve("missing.txt");
        String tokenizer = trainedTokenizer().toString();

        assertFailsWith(run("tokenizer", "encode", "--tokenizer", tokenizer, "--input", missing.toString()),
                "corpus file " + missing + " not found");
        assertFailsWith(run("tokenizer", "stats", "--tokenizer", tokenizer, "--text-file", missing.toString()),
                "corpus file " + missing + " not found");
    }

    // ---------------------------------------------------------------- stats and help

    @Test
    void statsPrintsEverySection() throws IOException {
        String tokenizer = trainedTokenizer().toString();

        CliRun result = run("tokenizer", "stats", "--tokenizer", tokenizer, "--text-file", corpus().toString(),
                "--top", "3");

        assertSucceeded(result);
        for (String section : List.of("vocabulary:     300 tokens", "merges:         43",
                "special tokens: <|endoftext|> (id 0)", "bytes per token on " + corpus(),
                "longest tokens", "first merges (of 43)")) {
            assertTrue(result.out().contains(section), section + " missing from:\n" + result.out());
        }
        assertEquals(3, result.out().lines().filter(line -> line.matches(" +\\d+  .+ \\+ .+")).count(),
                "three merges listed:\n" + result.out());
    }

    @Test
    void statsOfACharacterTokenizerHasNoMerges() throws IOException {
        Path file = dir.resolve("chars.json");
        assertSucceeded(run("tokenizer", "train", "--char", "--input", corpus().toString(), "--output", file.toString()));

        CliRun result = run("tokenizer", "stats", "--tokenizer", file.toString(), "--text-file", corpus().toString());

        assertSucceeded(result);
        assertTrue(result.out().contains("(character-level)"), result.out());
        assertFalse(result.out().contains("1.00 bytes per token"), "some characters take several bytes: " + result.out());
        assertTrue(result.out().contains("merges: none"), result.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenizer", "tokenizer train", "tokenizer encode", "tokenizer decode", "tokenizer stats"})
    void helpWorksOnEveryTokenizerCommand(String command) {
        CliRun result = run((command + " --help").split(" "));

        assertSucceeded(result);
        assertTrue(result.out().startsWith("Usage: scratchgpt " + command), result.out());
    }
}
