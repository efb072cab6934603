package org.scratchgpt.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.scratchgpt.UserError;

/**
 * One token per character (Unicode code point): the tokenizer of the classic char-level demos
 * (nanoGPT's shakespeare_char). The vocabulary is the sorted set of characters of the training text,
 * so tiny-shakespeare gives 65 tokens. Simple to read, but every character costs a model step.
 */
public final class CharTokenizer implements Tokenizer {
    private final Map<String, Integer> vocab;
    private final Map<Integer, Integer> idsByCodePoint = new HashMap<>();
    private final int[] codePoints;

    /** @param vocab single characters with their ids 0..n-1 */
    public CharTokenizer(Map<String, Integer> vocab) {
        this.vocab = Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
        this.codePoints = new int[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String s = e.getKey();
            int id = e.getValue();
            if (s.codePointCount(0, s.length()) != 1) {
                throw new UserError("character-level vocabulary entry '" + s + "' is not a single character");
            }
            if (id < 0 || id >= codePoints.length || idsByCodePoint.containsValue(id)) {
                throw new UserError("character-level vocabulary ids must be 0.." + (codePoints.length - 1)
                        + " without repeats; '" + s + "' has " + id);
            }
            codePoints[id] = s.codePointAt(0);
            idsByCodePoint.put(s.codePointAt(0), id);
        }
    }

    /** The vocabulary of {@code text}: its distinct characters, sorted by code point. */
    public static CharTokenizer fromText(String text) {
        if (text.isEmpty()) {
            throw new UserError("cannot build a character vocabulary from an empty text");
        }
        TreeSet<Integer> chars = new TreeSet<>();
        text.codePoints().forEach(chars::add);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int cp : chars) {
            vocab.put(Character.toString(cp), vocab.size());
        }
        return new CharTokenizer(vocab);
    }

    /**
     * A character of the text that the vocabulary lacks. The message fits a corpus (rebuild the tokenizer); a
     * caller that encodes something else, such as a prompt, catches it and words the fix for that.
     */
    public static final class UnknownCharacter extends UserError {
        private final int codePoint;
        private final int position;

        UnknownCharacter(int codePoint, int position, int vocabSize) {
            super("character " + position + " of the text, " + describe(codePoint) + ", is not in this character-level"
                    + " vocabulary of " + vocabSize + " characters: rebuild the tokenizer on a text that contains it");
            this.codePoint = codePoint;
            this.position = position;
        }

        /** The character as a message shows it: {@code 'é' (U+00E9)}, or only {@code U+000A} if it is invisible. */
        public String character() {
            return describe(codePoint);
        }

        /** Which character of the text it is, counting from 1. */
        public int position() {
            return position;
        }

        // A newline or tab printed as itself would break the one-line message, or not show at all.
        public static String describe(int cp) {
            String code = String.format("U+%04X", cp);
            return Character.isISOControl(cp) || Character.isWhitespace(cp) ? code
                    : "'" + Character.toString(cp) + "' (" + code + ")";
        }
    }

    /** @throws UnknownCharacter at the first character the vocabulary lacks */
    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int position = 0;
        for (int cp : text.codePoints().toArray()) {
            Integer id = idsByCodePoint.get(cp);
            if (id == null) {
                throw new UnknownCharacter(cp, position + 1, codePoints.length);
            }
            ids[position++] = id;
        }
        return ids;
    }

    /** A character-level tokenizer has no special tokens. */
    @Override
    public int[] encodeWithSpecialTokens(String text) {
        return encode(text);
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(codePoints[checked(id)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public String token(int id) {
        return Character.toString(codePoints[checked(id)]);
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return Map.of();
    }

    public Map<String, Integer> vocab() {
        return vocab;
    }

    private int checked(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new UserError("token id " + id + " is not in this character vocabulary (ids 0.."
                    + (codePoints.length - 1) + ")");
        }
        return id;
    }
}
