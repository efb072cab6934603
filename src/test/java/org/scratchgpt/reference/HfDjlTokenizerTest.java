package org.scratchgpt.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scratchgpt.SharedData;

class HfDjlTokenizerTest {

    private static HfDjlTokenizer gpt2;

    @BeforeAll
    static void load() throws Exception {
        gpt2 = HfDjlTokenizer.load(SharedData.gpt2Tokenizer());
    }

    @AfterAll
    static void close() {
        if (gpt2 != null) {
            gpt2.close();
        }
    }

    /** Expected ids as HuggingFace's own Node binding (tokenizers 0.23.2) gives them. */
    @Test
    void knownGpt2Ids() {
        assertArrayEquals(new long[] {15496, 995}, gpt2.encode("Hello world"));
        assertArrayEquals(new long[] {220, 23748}, gpt2.encode("  hello"));
        assertArrayEquals(new long[] {31373, 220, 220}, gpt2.encode("hello  "));
        assertArrayEquals(new long[] {201, 198}, gpt2.encode("\r\n"));
        assertArrayEquals(new long[] {10163, 2231, 3134, 4531}, gpt2.encode("123456789"));
        assertArrayEquals(new long[] {68, 136, 223}, gpt2.encode("e\u0301"));
    }

    /** Characters beyond U+FFFF cross JNI as surrogate pairs; they must arrive as one character. */
    @Test
    void supplementaryCharacters() {
        assertArrayEquals(new long[] {47249, 222}, gpt2.encode("😀"));
        assertArrayEquals(new long[] {47728, 238, 222}, gpt2.encode("𝐀"));
    }

    /** HF finds added tokens anywhere in the text, before any splitting, even without a space. */
    @Test
    void endOfTextIsOneToken() {
        assertArrayEquals(new long[] {64, 50256, 65}, gpt2.encode("a<|endoftext|>b"));
        assertArrayEquals(new long[] {220, 50256}, gpt2.encode(" <|endoftext|>"));
        assertArrayEquals(new long[] {27, 91, 437, 1659, 5239, 91}, gpt2.encode("<|endoftext|"));
        assertEquals("a<|endoftext|>b", gpt2.decode(new long[] {64, 50256, 65}));
    }

    @Test
    void longTextIsNotTruncated() {
        String text = "Hello world ".repeat(2_000).strip(); // "Hello", " world", " Hello", ...
        assertEquals(4_000, gpt2.encode(text).length);
    }

    @Test
    void decodeReversesEncode() {
        List<String> texts = new ArrayList<>(AdversarialText.edgeCases());
        texts.addAll(AdversarialText.documents(11, 20, 2_000));
        for (String text : texts) {
            assertEquals(text, gpt2.decode(gpt2.encode(text)));
        }
    }

    @Test
    void batchEncodingMatchesOneByOne() {
        List<String> texts = AdversarialText.documents(12, 50, 1_000);
        List<long[]> batch = gpt2.encodeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(gpt2.encode(texts.get(i)), batch.get(i));
        }
    }

    @Test
    void threadsMayShareOneTokenizer() throws Exception {
        List<String> texts = AdversarialText.documents(13, 200, 1_000);
        List<long[]> expected = texts.stream().map(gpt2::encode).toList();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (String text : texts) {
                results.add(pool.submit(() -> gpt2.encode(text)));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected.get(i), results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
