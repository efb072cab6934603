package org.scratchgpt.tokenizer;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How text is cut into words before BPE: a split regex (or none: the whole text is one word) and
 * GPT-2's optional "add a space in front" rule, which makes the first word look like every other.
 *
 * @param regex the split pattern, or null for no split
 * @param addPrefixSpace prepend a space to text that does not start with one
 */
public record PreTokenizer(String regex, boolean addPrefixSpace) {

    public static PreTokenizer of(SplitPattern pattern) {
        return new PreTokenizer(pattern.regex(), false);
    }

    /** Calls {@code onWord} with each word of {@code text} in order. */
    public void split(String text, Consumer<String> onWord) {
        if (addPrefixSpace && !text.startsWith(" ")) {
            text = " " + text;
        }
        if (regex == null) {
            if (!text.isEmpty()) {
                onWord.accept(text);
            }
            return;
        }
        SplitPattern.splitWith(compiled(), text, onWord);
    }

    private Pattern compiled() {
        SplitPattern known = SplitPattern.ofRegex(regex);
        return known != null ? known.compiledPattern() : CustomPatterns.get(regex);
    }

    /** Compiles a regex that is not one of the named patterns once, not on every call. */
    private static final class CustomPatterns {
        private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();

        static Pattern get(String regex) {
            return CACHE.computeIfAbsent(regex, SplitPattern::compile);
        }
    }
}
