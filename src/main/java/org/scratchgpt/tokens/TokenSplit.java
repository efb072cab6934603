package org.scratchgpt.tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.data.CorpusText;
import org.scratchgpt.tokenizer.Tokenizer;
import org.scratchgpt.tokenizer.TokenizerJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A corpus encoded once and split into training and validation tokens, as {@code train.bin} and {@code val.bin}
 * (see {@link TokenFile}) in one folder.
 *
 * <p>The split follows nanoGPT's {@code data[:int(n*0.9)]}: the first 90% is for training, the last 10% for
 * validation, so the model is scored on text it has never seen (the end of the corpus) rather than on shuffled
 * pieces of what it trains on. The cut is made on the token sequence, at position {@code n * 9 / 10} of the
 * {@code n} tokens (rounded down): cutting the text instead could split what would have been one token into two.
 * For a character-level tokenizer, where one character is one token, this is exactly nanoGPT's
 * {@code shakespeare_char} split.
 *
 * <p>{@link #prepare} also writes a fingerprint, {@value #FINGERPRINT_FILE} (the sha256 of the corpus and of the
 * tokenizer.json), and reuses the files when a later run finds the same corpus and tokenizer; otherwise it
 * encodes again.
 */
public final class TokenSplit {
    public static final String TRAIN_FILE = "train.bin";
    public static final String VAL_FILE = "val.bin";
    public static final String FINGERPRINT_FILE = "tokens.json";

    private static final Logger log = LoggerFactory.getLogger(TokenSplit.class);

    private final TokenFile train;
    private final TokenFile val;
    private final boolean reused;

    private TokenSplit(TokenFile train, TokenFile val, boolean reused) {
        this.train = train;
        this.val = val;
        this.reused = reused;
    }

    /** The first 90% of the tokens. */
    public TokenFile train() {
        return train;
    }

    /** The last 10% of the tokens. */
    public TokenFile val() {
        return val;
    }

    /** True when the files were already there for the same corpus and tokenizer and nothing was encoded. */
    public boolean reused() {
        return reused;
    }

    /**
     * The split of {@code corpusFile} encoded with the tokenizer in {@code tokenizerJson}, in folder {@code dir}:
     * reused when {@value #FINGERPRINT_FILE} there shows the same corpus and tokenizer, else encoded and written.
     *
     * @param contextLength the model's context length (block_size): both parts must hold one window of it
     * @throws UserError if the corpus or tokenizer is missing or unreadable, or the corpus is too short
     */
    public static TokenSplit prepare(Path corpusFile, Path tokenizerJson, Path dir, int contextLength)
            throws IOException {
        String text = CorpusText.readUtf8(corpusFile); // strict UTF-8, and clear errors for missing or empty files
        // Strictly decoded UTF-8 encodes back to the very same bytes, so this is the sha256 of the file itself.
        TokenSplitFingerprint sources = TokenSplitFingerprint.ofSources(
                text.getBytes(StandardCharsets.UTF_8), readTokenizerBytes(tokenizerJson));
        Optional<TokenSplit> existing = reuse(dir, sources);
        if (existing.isPresent()) {
            log.debug("reusing {} and {} in {}: same corpus and tokenizer", TRAIN_FILE, VAL_FILE, dir); // --verbose
            requireLongEnough(existing.get().train.size(), existing.get().val.size(), contextLength);
            return existing.get();
        }
        // A line of the run's own output, as it is (no logger's prefix): encoding a large corpus takes a while.
        System.err.println("encoding " + corpusFile + " with " + tokenizerJson + " into " + dir);
        return encode(text, TokenizerJson.load(tokenizerJson), dir, contextLength, Optional.of(sources));
    }

    /**
     * Encodes {@code text}, splits it 90/10 and writes {@code dir/train.bin} and {@code dir/val.bin}, always (no
     * reuse: an in-memory tokenizer has no tokenizer.json to fingerprint).
     *
     * @throws UserError if the text is empty or too short for {@code contextLength}
     */
    public static TokenSplit encode(String text, Tokenizer tokenizer, Path dir, int contextLength)
            throws IOException {
        return encode(text, tokenizer, dir, contextLength, Optional.empty());
    }

    /** Where the 90/10 split cuts {@code tokenCount} tokens: the number of training tokens, rounded down. */
    static long trainTokenCount(long tokenCount) {
        return tokenCount * 9 / 10; // exact integer arithmetic: 0.9 has no exact binary form
    }

    private static TokenSplit encode(String text, Tokenizer tokenizer, Path dir, int contextLength,
                                     Optional<TokenSplitFingerprint> sources) throws IOException {
        if (text.isEmpty()) {
            throw new UserError("the corpus is empty: train on a file that holds text, e.g. tinyshakespeare"
                    + " (`./scratchgpt data fetch tinyshakespeare`)");
        }
        int[] ids = tokenizer.encode(text);
        int trainCount = (int) trainTokenCount(ids.length);
        requireLongEnough(trainCount, ids.length - trainCount, contextLength);

        // Remove the old fingerprint first: if writing stops half way, no fingerprint vouches for the new files.
        Files.deleteIfExists(dir.resolve(FINGERPRINT_FILE));
        TokenFile train = TokenFile.write(dir.resolve(TRAIN_FILE), ids, 0, trainCount, tokenizer.vocabSize());
        TokenFile val = TokenFile.write(dir.resolve(VAL_FILE), ids, trainCount, ids.length, tokenizer.vocabSize());
        if (sources.isPresent()) {
            sources.get().withCounts(tokenizer.vocabSize(), train.size(), val.size())
                    .write(dir.resolve(FINGERPRINT_FILE));
        }
        return new TokenSplit(train, val, false);
    }

    /**
     * The split in {@code dir} if its fingerprint names the same sources and both files open and hold what the
     * fingerprint says. Anything else (no fingerprint, a damaged file) means: encode again, since the files are
     * only a cache of the corpus.
     */
    private static Optional<TokenSplit> reuse(Path dir, TokenSplitFingerprint sources) throws IOException {
        Optional<TokenSplitFingerprint> stored = TokenSplitFingerprint.read(dir.resolve(FINGERPRINT_FILE));
        if (stored.isEmpty() || !stored.get().sameSourcesAs(sources)) {
            return Optional.empty();
        }
        try {
            TokenFile train = TokenFile.open(dir.resolve(TRAIN_FILE));
            TokenFile val = TokenFile.open(dir.resolve(VAL_FILE));
            boolean asRecorded = train.size() == stored.get().trainTokens() && val.size() == stored.get().valTokens()
                    && train.vocabSize() == stored.get().vocabSize() && val.vocabSize() == stored.get().vocabSize();
            return asRecorded ? Optional.of(new TokenSplit(train, val, true)) : Optional.empty();
        } catch (UserError damaged) {
            log.warn("encoding again: {}", damaged.getMessage());
            return Optional.empty();
        }
    }

    private static byte[] readTokenizerBytes(Path tokenizerJson) throws IOException {
        try {
            return Files.readAllBytes(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new UserError("tokenizer file " + tokenizerJson.toAbsolutePath() + " not found: train one with"
                    + " `scratchgpt tokenizer train` or give the path of a tokenizer.json");
        }
    }

    /**
     * Each part must hold at least one window of {@code contextLength} tokens plus the token after it, the last
     * target. With the 90/10 split the validation part is the short one, so the corpus needs at least
     * {@code 10 * contextLength + 1} tokens (its last 10%, rounded up, is then contextLength + 1).
     */
    private static void requireLongEnough(long trainCount, long valCount, int contextLength) {
        if (contextLength <= 0) {
            throw new UserError("context length (block_size) must be positive, got " + contextLength);
        }
        long needed = contextLength + 1L;
        if (trainCount < needed || valCount < needed) {
            long largestContext = Math.min(trainCount, valCount) - 1;
            String smallerContext = largestContext >= 1
                    ? ", or a context length (block_size) of at most " + largestContext : "";
            throw new UserError(String.format("the corpus is too short for a context length of %d: its %d tokens"
                            + " split into %d for training and %d for validation, and each part needs at least %d"
                            + " (one window of %d tokens plus the token after it). Use a corpus of at least %d"
                            + " tokens%s",
                    contextLength, trainCount + valCount, trainCount, valCount, needed, contextLength,
                    10L * contextLength + 1, smallerContext));
        }
    }
}
