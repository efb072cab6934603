package org.scratchgpt.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.scratchgpt.UserError;

/**
 * One token per character (Unicode code point): the tokenizer of the classic char-level demos
 * (nanoGPT's shakespeare_char). The vocabulary is the sorted set of characters of the training text,
 * so tiny-shakespeare gives 65 tokens. Simple to read, but every character costs a model step.
 *
 * <p>Special tokens (such as a chat template's {@code <|user|>}) may follow the characters: they take the ids
 * n, n+1, ... after the n characters, and only {@link #encodeWithSpecialTokens} turns their text into them.
 */
public final class CharTokenizer implements Tokenizer {
    private final Map<String, Integer> vocab;
    private final Map<Integer, Integer> idsByCodePoint = new HashMap<>();
    private final int[] codePoints;
    private final SpecialTokens specials;
    private final String[] specialsById; // special token i has the id codePoints.length + i

    /** @param vocab single characters with their ids 0..n-1 */
    public CharTokenizer(Map<String, Integer> vocab) {
        this(vocab, SpecialTokens.NONE);
    }

    /**
     * @param vocab single characters with their ids 0..n-1
     * @param specials special tokens with the ids n..n+s-1, in any order
     */
    public CharTokenizer(Map<String, Integer> vocab, SpecialTokens specials) {
        this.vocab = Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
        this.specials = specials;
        this.specialsById = new String[specials.asMap().size()];
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
        for (Map.Entry<String, Integer> e : specials.asMap().entrySet()) {
            int index = e.getValue() - codePoints.length;
            if (index < 0 || index >= specialsById.length || specialsById[index] != null) {
                throw new UserError("special token '" + e.getKey() + "' has the id " + e.getValue() + "; in a character-"
                        + "level vocabulary of " + codePoints.length + " characters the special tokens take the ids "
                        + codePoints.length + ".." + (codePoints.length + specialsById.length - 1) + ", once each");
            }
            specialsById[index] = e.getKey();
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

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        BpeTokenizer.IntList out = new BpeTokenizer.IntList(text.length());
        int from = 0;
        SpecialTokens.Match m;
        while ((m = specials.find(text, from)) != null) {
            out.addAll(encode(text.substring(from, m.start())));
            out.add(m.id());
            from = m.end();
        }
        out.addAll(encode(text.substring(from)));
        return out.toArray();
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.append(token(id));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return codePoints.length + specialsById.length;
    }

    @Override
    public String token(int id) {
        checked(id);
        return id < codePoints.length ? Character.toString(codePoints[id]) : specialsById[id - codePoints.length];
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specials.asMap();
    }

    /** The special tokens it lacks take the ids after its last one, in the order given. */
    @Override
    public CharTokenizer withSpecialTokens(List<String> contents) {
        return new CharTokenizer(vocab, specials.adding(contents, vocabSize()));
    }

    public Map<String, Integer> vocab() {
        return vocab;
    }

    private int checked(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new UserError("token id " + id + " is not in this character vocabulary (ids 0.."
                    + (vocabSize() - 1) + ")");
        }
        return id;
    }
}
