package org.scratchgpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Property-style, seeded: decoding what was encoded gives back exactly the input. */
class RoundTripTest {
    static BpeTokenizer gpt2Style;
    static BpeTokenizer gpt4Style;

    private static final String[] PIECES = {"the", " quick", "'s", "'LL", "  ", "\t", "\r\n", "\n\n\n", "123456", "!?",
        "日本語", "한국어", "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "ไทย", "e\u0301", "\u00a0", "\u3000",
        "\u2028", "😀", "👩‍👩‍👧", "👍🏽", "🇫🇷", "𝐀𝐁", "\u200d", "<|endoftext|>", " ", "x"};

    static String randomText(SplittableRandom random, int pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    @BeforeAll
    static void train() {
        String corpus = randomText(new SplittableRandom(1), 4000);
        gpt2Style = new BpeTrainer(600, 0, List.of("<|endoftext|>"), PreTokenizer.of(SplitPattern.GPT2), false)
                .train(corpus);
        gpt4Style = new BpeTrainer(600, 0, List.of("<|endoftext|>"), PreTokenizer.of(SplitPattern.GPT4), false)
                .train(corpus);
    }

    @Test
    void randomBytesIncludingInvalidUtf8() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = new byte[random.nextInt(0, 64)];
            for (int i = 0; i < bytes.length; i++) {
                // Bias towards the bytes that make UTF-8 interesting: ASCII, continuation and lead bytes.
                bytes[i] = (byte) (random.nextBoolean() ? random.nextInt(0x20, 0x7F) : random.nextInt(256));
            }
            for (BpeTokenizer t : List.of(gpt2Style, gpt4Style)) {
                assertArrayEquals(bytes, t.decodeBytes(t.encodeBytes(bytes)), "trial " + trial);
            }
        }
    }

    @Test
    void validUtf8BytesEncodeExactlyLikeTheirText() {
        SplittableRandom random = new SplittableRandom(8);
        for (int trial = 0; trial < 500; trial++) {
            String text = randomText(random, random.nextInt(1, 30));
            for (BpeTokenizer t : List.of(gpt2Style, gpt4Style)) {
                assertArrayEquals(t.encode(text), t.encodeBytes(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void randomMultilingualText() {
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 1000; trial++) {
            String text = randomText(random, random.nextInt(0, 40));
            for (BpeTokenizer t : List.of(gpt2Style, gpt4Style)) {
                assertEquals(text, t.decode(t.encode(text)));
                assertEquals(text, t.decode(t.encodeWithSpecialTokens(text)));
            }
        }
    }

    @Test
    void longRunsOfOneCharacterStayFastAndExact() {
        for (String c : List.of(" ", "a", "\n", "9", "😀")) {
            String run = c.repeat(50_000);
            assertEquals(run, gpt2Style.decode(gpt2Style.encode(run)));
        }
    }

    @Test
    void batchEncodingEqualsOneByOne() {
        SplittableRandom random = new SplittableRandom(10);
        List<String> texts = java.util.stream.IntStream.range(0, 200).mapToObj(i -> randomText(random, 20)).toList();
        List<int[]> batch = gpt2Style.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(gpt2Style.encode(texts.get(i)), batch.get(i));
        }
    }
}
