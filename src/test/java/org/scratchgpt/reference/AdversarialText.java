package org.scratchgpt.reference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded text built to trip up a byte-level BPE and its split regex: contractions, digit runs,
 * punctuation runs, odd whitespace, many scripts, emoji sequences, combining marks, invisible
 * joiners, letters outside the Basic Multilingual Plane and {@code <|endoftext|>}.
 *
 * <p>Every character is assigned in Unicode 13.0 or earlier. Java 17's regex tables are Unicode 13;
 * HuggingFace's may be newer, and a character assigned since would differ between the two for
 * reasons that have nothing to do with our tokenizer.
 */
public final class AdversarialText {
    private AdversarialText() {}

    private static final String[] ENGLISH = {
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Hello", "WORLD", "tokenizer",
        "it", "we", "they", "I", "you", "she", "don", "can", "won", "Shakespeare", "A", "a", "x",
    };
    private static final String[] CONTRACTIONS = {
        "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'VE", "'M", "'LL", "'D",
        "\u2019s", "''s", "'", "'x",
    };
    private static final String[] PUNCTUATION = {
        "!", "?", ".", ",", ";", ":", "-", "_", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "|",
        "@", "#", "$", "%", "^", "&", "*", "+", "=", "~", "`", "\"", "'", "\u2014", "\u00ab", "\u00bb",
        "\u201c", "\u201d", "\u2026",
    };
    private static final String[] WHITESPACE = {
        " ", "  ", "    ", "\t", "\t\t", " \t ", "\n", "\r\n", "\n\n\n", " \n", "\t\n", "   \r\n", "\r",
        "\u000b", "\u000c", "\u0085",
    };
    private static final String[] UNICODE_SPACES = {
        "\u00a0", "\u2009", "\u3000", "\u2028", "\u2029", "\u202f", "\u205f", "\u1680", "\u2002", "\u200b",
    };
    private static final String[] JOINERS = {"\u200d", "\u200c", "\ufeff"};
    private static final String[] CJK = {"你好", "世界", "東京", "漢字", "中文分词", "人工智能", "龍"};
    private static final String[] KANA = {"こんにちは", "カタカナ", "ひらがな", "ありがとう", "ラーメン", "ｶﾀｶﾅ"};
    private static final String[] HANGUL = {"안녕하세요", "한국어", "토큰", "\u1100\u1161\u11a8"};
    private static final String[] ARABIC = {"مرحبا", "العربية", "كَتَبَ", "١٢٣٤"};
    private static final String[] HEBREW = {"שלום", "עברית", "שָׁלוֹם"};
    private static final String[] DEVANAGARI = {"नमस्ते", "हिन्दी", "क्षत्रिय", "१२३"};
    private static final String[] THAI = {"สวัสดี", "ภาษาไทย", "๑๒๓"};
    private static final String[] CYRILLIC = {"Привет", "мир", "ЁЛКА", "ёжик"};
    private static final String[] GREEK = {"Γειά", "σου", "κόσμε", "ΑΒΓ", "ς"};
    /** Single emoji, then sequences: skin tones, ZWJ (U+200D) families, flags, a keycap. */
    private static final String[] EMOJI = {
        "😀", "😂", "👍", "🤖", "🥳", "❤\ufe0f", "©", "™",
        "👍🏽", "👩🏿\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🧑\u200d🤝\u200d🧑", "🏳\ufe0f\u200d🌈",
        "🇯🇵", "🇺🇸", "1\ufe0f\u20e3",
    };
    private static final String[] COMBINING = {
        "e\u0301", "a\u0308", "n\u0303", "o\u0302\u0323", "Z\u0336", "i\u0307", "\u0301", "A\u030a",
    };
    /** Letters and digits from the Mathematical Alphanumeric Symbols block (U+1D400..), beyond U+FFFF. */
    private static final String[] MATH = {"𝐀𝐁𝐂", "𝑥𝑦", "𝔘𝔫𝔦", "𝟎𝟏𝟐", "𝒜"};
    private static final String[] OTHER_NUMBERS = {"½", "²", "Ⅻ", "①", "3.14159", "1,000,000", "2024-01-01"};
    private static final String END_OF_TEXT = "<|endoftext|>";

    /** The kinds of fragment a document is made of; each makes one short piece of text. */
    private static final List<Function<SplittableRandom, String>> FRAGMENTS = List.of(
            random -> words(random, ENGLISH),
            random -> pick(random, ENGLISH) + pick(random, CONTRACTIONS),
            AdversarialText::digits,
            AdversarialText::punctuationRun,
            random -> pick(random, WHITESPACE),
            random -> pick(random, UNICODE_SPACES),
            random -> pick(random, ENGLISH) + pick(random, JOINERS) + pick(random, ENGLISH),
            random -> words(random, CJK),
            random -> words(random, KANA),
            random -> words(random, HANGUL),
            random -> words(random, ARABIC),
            random -> words(random, HEBREW),
            random -> words(random, DEVANAGARI),
            random -> words(random, THAI),
            random -> words(random, CYRILLIC),
            random -> words(random, GREEK),
            random -> pick(random, EMOJI) + (random.nextBoolean() ? pick(random, EMOJI) : ""),
            random -> pick(random, COMBINING) + pick(random, ENGLISH),
            random -> pick(random, MATH),
            random -> pick(random, OTHER_NUMBERS),
            random -> END_OF_TEXT);

    /** A document of about {@code approxChars} chars (UTF-16 units), the same for the same seed. */
    public static String document(long seed, int approxChars) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(approxChars + 64);
        List<Function<SplittableRandom, String>> deck = new ArrayList<>();
        while (text.length() < approxChars) {
            // Deal the fragment kinds like a shuffled deck, so every kind shows up in every round.
            if (deck.isEmpty()) {
                deck.addAll(FRAGMENTS);
                shuffle(deck, random);
            }
            text.append(deck.remove(deck.size() - 1).apply(random)).append(separator(random));
        }
        return text.toString();
    }

    /** {@code count} documents, each from its own seed derived from {@code seed}. */
    public static List<String> documents(long seed, int count, int approxChars) {
        SplittableRandom seeds = new SplittableRandom(seed);
        List<String> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            documents.add(document(seeds.nextLong(), approxChars));
        }
        return documents;
    }

    /** Short inputs at the edges of the split regex and of byte-level encoding. */
    public static List<String> edgeCases() {
        return List.of(
                "", " ", "   ", "\n", "\r\n", "\r", "\t", "\n\n\n", " \n", "a\r\nb", "a\n\nb",
                "'s", "x's", "X'LL", "don't", "''s", "'", "x'", "'x", "it\u2019s",
                "  hello", "hello  ", "hello  world", "hello\t\tworld", " hello \n",
                "123456789", "1234 5678", "a1b2c3", " 1", "١٢٣", "𝟏𝟐𝟑", "Ⅻ", "½",
                "!!!", "...", " !?", "?!\n\n", "--x", "a,b.c",
                "😀😀", "👨\u200d👩\u200d👧\u200d👦", "🇯🇵🇺🇸", "👍🏽", "e\u0301", "\u0301", "\u0301a",
                "\u00a0x", "x\u00a0", "\u3000", "\u2028", "a\u200db", "a\u200cb", "\ufeff",
                "𝐀𝐁𝐂", "你好世界", "안녕", "مرحبا", "שלום", "नमस्ते", "สวัสดี",
                "<|endoftext|>", "a<|endoftext|>b", " <|endoftext|>", "<|endoftext|><|endoftext|>",
                "<|endoftext|", "<|endoftext|>\n");
    }

    /**
     * {@code length} bytes, mostly not valid UTF-8: stray continuation bytes, cut-off sequences,
     * overlong forms, encoded surrogates, code points past U+10FFFF, mixed with valid text.
     */
    public static byte[] randomBytes(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(length + 16);
        while (bytes.size() < length) {
            byte[] piece = randomBytePiece(random);
            bytes.write(piece, 0, piece.length);
        }
        return Arrays.copyOf(bytes.toByteArray(), length);
    }

    private static byte[] randomBytePiece(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> document(random.nextLong(), 8).getBytes(StandardCharsets.UTF_8);
            case 1 -> new byte[] {(byte) random.nextInt(256)};
            case 2 -> new byte[] {(byte) (0x80 + random.nextInt(0x40))}; // continuation, no lead
            case 3 -> new byte[] {(byte) 0xE4, (byte) 0xBD}; // 3-byte sequence cut short
            case 4 -> new byte[] {(byte) 0xC0, (byte) 0xAF}; // overlong '/'
            case 5 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // surrogate U+D800
            case 6 -> new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}; // > U+10FFFF
            default -> new byte[] {(byte) 0xFF, (byte) 0xFE, 0};
        };
    }

    private static String words(SplittableRandom random, String[] pool) {
        int count = 1 + random.nextInt(3);
        StringBuilder words = new StringBuilder(pick(random, pool));
        for (int i = 1; i < count; i++) {
            words.append(' ').append(pick(random, pool));
        }
        return words.toString();
    }

    /** Short numbers and runs long enough to cross any "at most three digits" rule many times. */
    private static String digits(SplittableRandom random) {
        int length = random.nextBoolean() ? 1 + random.nextInt(4) : 5 + random.nextInt(40);
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static String punctuationRun(SplittableRandom random) {
        int length = 1 + random.nextInt(8);
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < length; i++) {
            run.append(pick(random, PUNCTUATION));
        }
        return run.toString();
    }

    /** Mostly a space; sometimes nothing, so fragments collide ("word😀", "东京123"). */
    private static String separator(SplittableRandom random) {
        int roll = random.nextInt(10);
        return roll < 2 ? "" : roll < 8 ? " " : pick(random, WHITESPACE);
    }

    private static String pick(SplittableRandom random, String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
    }
}
