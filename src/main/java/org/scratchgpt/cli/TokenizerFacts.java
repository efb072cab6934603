package org.scratchgpt.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.scratchgpt.tokenizer.BpeTokenizer;
import org.scratchgpt.tokenizer.PreTokenizer;
import org.scratchgpt.tokenizer.SplitPattern;
import org.scratchgpt.tokenizer.Tokenizer;

/**
 * What the summaries report about a tokenizer that the {@link Tokenizer} interface does not say:
 * which kind it is and which merges it learned. A character-level tokenizer simply has no merges.
 */
final class TokenizerFacts {
    private TokenizerFacts() {}

    /** E.g. "byte-level BPE, gpt2 split pattern" or "character-level". */
    static String kind(Tokenizer tokenizer) {
        if (tokenizer instanceof BpeTokenizer bpe) {
            return "byte-level BPE, " + splitDescription(bpe.preTokenizer());
        }
        return "character-level";
    }

    /** The merges in the order they were learned, each a pair of tokens in their stored form. */
    static List<String[]> merges(Tokenizer tokenizer) {
        return tokenizer instanceof BpeTokenizer bpe ? bpe.merges() : List.of();
    }

    /**
     * The ids of the tokens that stand for text, without the special tokens. A loaded BPE vocabulary
     * may skip ids, so its ids are taken from the vocabulary rather than counted up to its size.
     */
    static IntStream ordinaryIds(Tokenizer tokenizer) {
        Set<Integer> specials = new HashSet<>(tokenizer.specialTokens().values());
        IntStream all = tokenizer instanceof BpeTokenizer bpe
                ? bpe.vocab().values().stream().mapToInt(Integer::intValue)
                : IntStream.range(0, tokenizer.vocabSize());
        return all.filter(id -> !specials.contains(id));
    }

    private static String splitDescription(PreTokenizer pre) {
        SplitPattern known = pre.regex() == null ? null : SplitPattern.ofRegex(pre.regex());
        String split = pre.regex() == null ? "no split pattern"
                : known != null ? known.name().toLowerCase(Locale.ROOT) + " split pattern"
                : "custom split pattern";
        return pre.addPrefixSpace() ? split + ", adds a prefix space" : split;
    }
}
