package org.scratchgpt.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Text to token ids and back: the first component a language model needs.
 *
 * <p>Two implementations share this interface: {@link BpeTokenizer} (byte-level BPE, the GPT-2
 * family) and {@link CharTokenizer} (one token per character, for the classic char-level demos).
 */
public interface Tokenizer {

    /** Encodes text. Special-token strings in it are treated as ordinary text. */
    int[] encode(String text);

    /** Encodes text, turning special-token strings (e.g. {@code <|endoftext|>}) into their ids. */
    int[] encodeWithSpecialTokens(String text);

    /** Encodes many texts, in parallel; the result lists the ids of each text in order. */
    default List<int[]> encodeBatch(List<String> texts) {
        return texts.parallelStream().map(this::encode).toList();
    }

    /** The exact bytes the ids stand for. */
    byte[] decodeBytes(int[] ids);

    /** The text the ids stand for; byte sequences that are not valid UTF-8 become U+FFFD. */
    default String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** One more than the largest id. */
    int vocabSize();

    /** A readable form of one token, as stored in the vocabulary. */
    String token(int id);

    /** Special tokens by content, e.g. {@code <|endoftext|>} to 50256; empty when there are none. */
    Map<String, Integer> specialTokens();

    /**
     * A copy that also has the special tokens of {@code contents}: those it lacks get the ids after its last one
     * (so the vocabulary grows by their number), those it has keep their ids. Ordinary text encodes as before.
     */
    Tokenizer withSpecialTokens(List<String> contents);
}
