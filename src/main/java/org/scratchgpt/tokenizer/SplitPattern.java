package org.scratchgpt.tokenizer;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expression that cuts text into "words" before BPE runs on each word.
 *
 * <p>Why split at all: without it, BPE would happily learn tokens like "dog." and "dog!" and
 * "dog?" as separate entries, or merge across word boundaries. The pattern keeps letters, digits,
 * punctuation and whitespace apart, and glues a single leading space to the word after it
 * (" world"), which is why GPT tokens so often start with a space.
 */
public enum SplitPattern {
    /** GPT-2's pattern, as HuggingFace's ByteLevel pre-tokenizer and tiktoken's r50k use it. */
    GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
    /**
     * GPT-4's pattern (tiktoken's cl100k_base): case-insensitive contractions, a letter run may take
     * one leading non-letter, digits in groups of at most three, newlines kept apart from other spaces.
     */
    GPT4("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    private final String regex;
    private final Pattern pattern;

    SplitPattern(String regex) {
        this.regex = regex;
        this.pattern = compile(regex);
    }

    /**
     * Java's {@code \s} means ASCII whitespace unless told otherwise; HuggingFace (Oniguruma) and
     * tiktoken use Unicode whitespace, and case-insensitive matching is Unicode-aware there too.
     */
    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
    }

    Pattern compiledPattern() {
        return pattern;
    }

    /** The regex source, as written into tokenizer.json. */
    public String regex() {
        return regex;
    }

    /** Calls {@code onPiece} with each consecutive piece of {@code text}, in order; the pieces cover the text. */
    public void split(CharSequence text, Consumer<String> onPiece) {
        splitWith(pattern, text, onPiece);
    }

    static void splitWith(Pattern pattern, CharSequence text, Consumer<String> onPiece) {
        Matcher m = pattern.matcher(text);
        int end = 0;
        while (m.find()) {
            // Text between matches would be kept as its own piece (HuggingFace's "isolated" behaviour);
            // for these two patterns it never happens, since every character can start a match.
            if (m.start() > end) {
                onPiece.accept(text.subSequence(end, m.start()).toString());
            }
            onPiece.accept(text.subSequence(m.start(), m.end()).toString());
            end = m.end();
        }
        if (end < text.length()) {
            onPiece.accept(text.subSequence(end, text.length()).toString());
        }
    }

    /** The pattern whose regex is exactly {@code regex}, or null. */
    public static SplitPattern ofRegex(String regex) {
        for (SplitPattern p : values()) {
            if (p.regex.equals(regex)) {
                return p;
            }
        }
        return null;
    }
}
