package org.scratchgpt.curation.shards;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.scratchgpt.UserError;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * The token that separates documents in a token stream: the tokenizer's end-of-text special token, GPT-2's
 * {@code <|endoftext|>} (what {@code scratchgpt tokenizer train} adds by default) or another common spelling of
 * it. Without a separator the model would learn that the end of one web page runs on into the next; with it, it
 * learns that a document can end and that what follows has nothing to do with it.
 *
 * <p>A character-level tokenizer has no special tokens, so it is refused rather than given a separator of our
 * own: any character we chose could also occur in the text, and a token added to its vocabulary would make a
 * tokenizer.json that no longer matches the one the user gave (whose SHA-256 the dataset records).
 */
public record DocumentSeparator(String token, int id) {
    /** Spellings of end-of-text, in order of preference: GPT-2/tiktoken, Llama 3, then SentencePiece's. */
    static final List<String> END_OF_TEXT = List.of("<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>");

    /** The end-of-text token of {@code tokenizer}, read from {@code tokenizerJson} (named in the error). */
    public static DocumentSeparator of(Tokenizer tokenizer, Path tokenizerJson) {
        Map<String, Integer> specials = tokenizer.specialTokens();
        for (String name : END_OF_TEXT) {
            Integer id = specials.get(name);
            if (id != null) {
                return new DocumentSeparator(name, id);
            }
        }
        throw new UserError("tokenizer " + tokenizerJson + " has no end-of-text special token (one of " + END_OF_TEXT
                + ") to separate documents" + (specials.isEmpty() ? " (a character-level tokenizer has none)" : "")
                + ": use a BPE tokenizer that has one, e.g. from `scratchgpt tokenizer train` (it adds <|endoftext|>)"
                + " or GPT-2's tokenizer.json");
    }
}
